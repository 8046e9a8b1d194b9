package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * PING (0x01) and PONG (0x02): discovery, keepalive and punch probes, and their replies. They share one layout;
 * the last 20 bytes are padding in a PING (so that a PONG never amplifies) and the pinger's observed endpoint
 * in a PONG.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x01/0x02)                  |  0
 * +---------------+---------------+-------------------------------+
 * |   nat (u8)    |  flags (u8)   |        reserved (u16)         |  4
 * +---------------+---------------+-------------------------------+
 * |                     restart epoch (u64)                       |  8
 * +---------------------------------------------------------------+
 * |                  introduction token (u64)                     | 16
 * +---------------------------------------------------------------+
 * |                         echo (u64)                            | 24
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 32
 * +---------------------------------------------------------------+
 * |   PING: padding (20 bytes) / PONG: observed endpoint (20)     | 64
 * +---------------------------------------------------------------+  84
 * </pre>
 * A PING to an introducer with flag {@link #PEER_RELAY} says the sender relays for its swarms; its padding then
 * carries the sender's relay key ({@link #RELAY_KEY_LENGTH} bytes), which the introducer signs the sender's relay
 * tokens with.
 */
public final class PingFlyweight extends FrameFlyweight
{
    /** Flag (PING to an introducer): the sender relays for its swarms; the padding holds its relay key. */
    public static final int PEER_RELAY = 1;
    /** Length of a peer relay's key, carried in the padding of a PING with {@link #PEER_RELAY}. */
    public static final int RELAY_KEY_LENGTH = 20;

    /** Offset of the sender's NAT type. */
    public static final int NAT_OFFSET = 4;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 5;
    /** Offset of the restart epoch. */
    public static final int RESTART_EPOCH_OFFSET = 8;
    /** Offset of the introduction token. */
    public static final int TOKEN_OFFSET = 16;
    /** Offset of the echo value. */
    public static final int ECHO_OFFSET = 24;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 32;
    /** Offset of the observed endpoint (PONG) or padding (PING). */
    public static final int OBSERVED_OFFSET = 64;
    /** Fixed length of both. */
    public static final int LENGTH = 84;

    /**
     * Starts a PING.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public PingFlyweight wrapForPing(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.PING);
        return this;
    }

    /**
     * Starts a PONG.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public PingFlyweight wrapForPong(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.PONG);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = validateNat(buffer, offset + NAT_OFFSET);
        if (result != 0)
        {
            return result;
        }
        return FrameHeader.type(buffer, offset) == MessageType.PONG ?
            Endpoint.validate(buffer, offset + OBSERVED_OFFSET, true) : 0;
    }

    /**
     * Whether this is a PONG.
     *
     * @return true for PONG, false for PING.
     */
    public boolean isPong()
    {
        return type() == MessageType.PONG;
    }

    /**
     * The sender's NAT type code.
     *
     * @return 0..3, see {@link NatType}.
     */
    public int nat()
    {
        return buffer.getByte(offset + NAT_OFFSET) & 0xFF;
    }

    /**
     * Sets the sender's NAT type.
     *
     * @param nat the type.
     * @return this.
     */
    public PingFlyweight nat(final NatType nat)
    {
        buffer.putByte(offset + NAT_OFFSET, (byte)nat.code());
        return this;
    }

    /**
     * The flags: {@link #PEER_RELAY}.
     *
     * @return 0..255.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Sets the flags.
     *
     * @param flags {@link #PEER_RELAY} or 0.
     * @return this.
     */
    public PingFlyweight flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * Writes a peer relay's key into the padding of a PING (with {@link #PEER_RELAY}).
     *
     * @param key {@link #RELAY_KEY_LENGTH} bytes.
     * @return this.
     */
    public PingFlyweight relayKey(final byte[] key)
    {
        buffer.putBytes(offset + OBSERVED_OFFSET, key, 0, RELAY_KEY_LENGTH);
        return this;
    }

    /**
     * Reads the peer relay's key of a PING with {@link #PEER_RELAY}.
     *
     * @param into {@link #RELAY_KEY_LENGTH} bytes or more.
     * @return into.
     */
    public byte[] readRelayKey(final byte[] into)
    {
        buffer.getBytes(offset + OBSERVED_OFFSET, into, 0, RELAY_KEY_LENGTH);
        return into;
    }

    /**
     * The sender's restart epoch.
     *
     * @return the epoch.
     */
    public long restartEpoch()
    {
        return buffer.getLong(offset + RESTART_EPOCH_OFFSET, BIG);
    }

    /**
     * Sets the restart epoch.
     *
     * @param epoch value.
     * @return this.
     */
    public PingFlyweight restartEpoch(final long epoch)
    {
        buffer.putLong(offset + RESTART_EPOCH_OFFSET, epoch, BIG);
        return this;
    }

    /**
     * The introduction token, 0 outside a punch.
     *
     * @return the token.
     */
    public long token()
    {
        return buffer.getLong(offset + TOKEN_OFFSET, BIG);
    }

    /**
     * Sets the introduction token.
     *
     * @param token value.
     * @return this.
     */
    public PingFlyweight token(final long token)
    {
        buffer.putLong(offset + TOKEN_OFFSET, token, BIG);
        return this;
    }

    /**
     * The echo value.
     *
     * @return the value.
     */
    public long echo()
    {
        return buffer.getLong(offset + ECHO_OFFSET, BIG);
    }

    /**
     * Sets the echo value.
     *
     * @param echo value.
     * @return this.
     */
    public PingFlyweight echo(final long echo)
    {
        buffer.putLong(offset + ECHO_OFFSET, echo, BIG);
        return this;
    }

    /**
     * Absolute offset of the sender id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int senderIdOffset()
    {
        return offset + SENDER_ID_OFFSET;
    }

    /**
     * Reads the sender id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 senderId()
    {
        return Id32.read(buffer, offset + SENDER_ID_OFFSET);
    }

    /**
     * Sets the sender id.
     *
     * @param id value.
     * @return this.
     */
    public PingFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Reads the observed endpoint of a PONG into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readObserved(final Endpoint into)
    {
        return into.read(buffer, offset + OBSERVED_OFFSET);
    }

    /**
     * Sets the observed endpoint of a PONG.
     *
     * @param observed the pinger's endpoint as seen by the replier.
     * @return this.
     */
    public PingFlyweight observed(final Endpoint observed)
    {
        observed.write(buffer, offset + OBSERVED_OFFSET);
        return this;
    }
}
