package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 4-byte header at the start of every frame.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |  magic 0xC1   |  magic 0xA7   |  version = 1  |     type      |
 * +---------------+---------------+---------------+---------------+
 * </pre>
 * The first byte has its two top bits set, which no STUN (00), TURN ChannelData (01), DTLS or RTP datagram has.
 */
public final class FrameHeader
{
    /** First magic byte. */
    public static final int MAGIC_0 = 0xC1;
    /** Second magic byte. */
    public static final int MAGIC_1 = 0xA7;
    /** The major version this code speaks. */
    public static final int VERSION = 1;

    /** Offset of the first magic byte. */
    public static final int MAGIC_0_OFFSET = 0;
    /** Offset of the second magic byte. */
    public static final int MAGIC_1_OFFSET = 1;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 3;
    /** Length of the header. */
    public static final int LENGTH = 4;

    /** Largest control frame (every type but {@code DATA} and {@code RELAY_DATA}). */
    public static final int MAX_CONTROL_FRAME_LENGTH = 512;
    /** Largest frame of any type: the largest UDP payload over IPv4. */
    public static final int MAX_FRAME_LENGTH = 65_507;

    private FrameHeader()
    {
    }

    /**
     * Writes a header.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @param type   message type code.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final int type)
    {
        buffer.putByte(offset + MAGIC_0_OFFSET, (byte)MAGIC_0);
        buffer.putByte(offset + MAGIC_1_OFFSET, (byte)MAGIC_1);
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
    }

    /**
     * Reads the type byte. The caller has checked that at least {@link #LENGTH} bytes are there.
     *
     * @param buffer to read.
     * @param offset of the frame.
     * @return the type code, 0..255.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * The type of a datagram that starts with our header (magic and version) and lies within its buffer: the check
     * a host makes before reading a field with a flyweight's static accessor. Never throws and never reads outside
     * {@code [offset, offset + length)}, whatever the bytes and arguments.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return the type code, 0..255, or -1 when the datagram is not one of our frames.
     */
    public static int typeOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == buffer || offset < 0 || length < LENGTH || length > buffer.capacity() - offset ||
            !hasMagic(buffer, offset) || (buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return -1;
        }
        return type(buffer, offset);
    }

    /**
     * Whether the two magic bytes are ours. The caller has checked that at least 2 bytes are there.
     *
     * @param buffer to read.
     * @param offset of the frame.
     * @return true for our magic.
     */
    public static boolean hasMagic(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + MAGIC_0_OFFSET) & 0xFF) == MAGIC_0 &&
            (buffer.getByte(offset + MAGIC_1_OFFSET) & 0xFF) == MAGIC_1;
    }
}
