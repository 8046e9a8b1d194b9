package dev.introducer.bench.load;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The datagrams of {@link RelayLoad} (the UDP payload, {@code --size} bytes): an 8-byte relay prefix (RELAY_DATA
 * header {@code C1 A7 01 0F} + channel id, or relayfwd's big-endian session id), then magic {@code RLJ1}, type,
 * pair index, sequence, send timestamp ({@link System#nanoTime()} of this process), zero padding.
 */
final class ProbeLayout
{
    static final int MAGIC = 0x524C_4A31;
    /** relayfwd's registration (handshake). */
    static final int T_REG = 1;
    /** A to B. */
    static final int T_DATA = 2;
    /** B's echo of a {@link #T_DATA}, back to A. */
    static final int T_ECHO = 3;
    /** What {@link #type} says of a datagram that is none of ours. */
    static final int NOT_A_PROBE = Integer.MIN_VALUE;
    static final int MAGIC_OFFSET = 8;
    static final int TYPE_OFFSET = 12;
    static final int PAIR_OFFSET = 14;
    static final int SEQ_OFFSET = 16;
    static final int TIMESTAMP_OFFSET = 24;
    static final int HEADER_LENGTH = 32;

    private ProbeLayout()
    {
    }

    /**
     * Writes magic, type and pair index of the datagram at {@code offset} (its relay prefix is the caller's).
     *
     * @param buffer the datagram's buffer.
     * @param offset where the datagram starts.
     * @param type   {@link #T_REG}, {@link #T_DATA} or {@link #T_ECHO}.
     * @param pair   the pair's index.
     */
    static void putHeader(final MutableDirectBuffer buffer, final int offset, final int type, final int pair)
    {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putShort(offset + PAIR_OFFSET, (short)pair);
    }

    /**
     * The type of a received datagram at offset 0.
     *
     * @param datagram its bytes.
     * @param length   its length.
     * @return its type byte, or {@link #NOT_A_PROBE} when it is too short or has not our magic.
     */
    static int type(final DirectBuffer datagram, final int length)
    {
        return length < HEADER_LENGTH || datagram.getInt(MAGIC_OFFSET) != MAGIC ?
            NOT_A_PROBE : datagram.getByte(TYPE_OFFSET);
    }
}
