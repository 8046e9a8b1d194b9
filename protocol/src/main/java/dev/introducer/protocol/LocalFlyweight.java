package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * LOCAL (0x0B): a peer tells another its LAN endpoint, inside a RELAY, so that peers behind one NAT can connect
 * over the LAN.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x0B)                       |  0
 * +---------------------------------------------------------------+
 * |                       reserved (u32)                          |  4
 * +---------------------------------------------------------------+
 * |                  introduction token (u64)                     |  8
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 16
 * +---------------------------------------------------------------+
 * |         sender's LAN endpoint (20 bytes, required)            | 48
 * +---------------------------------------------------------------+  68
 * </pre>
 */
public final class LocalFlyweight extends FrameFlyweight
{
    /** Offset of the introduction token. */
    public static final int TOKEN_OFFSET = 8;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 16;
    /** Offset of the sender's LAN endpoint. */
    public static final int LAN_OFFSET = 48;
    /** Fixed length. */
    public static final int LENGTH = 68;

    /**
     * Starts a LOCAL.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public LocalFlyweight wrapForLocal(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.LOCAL);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return Endpoint.validate(buffer, offset + LAN_OFFSET, true);
    }

    /**
     * The introduction token of the CONNECT this follows.
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
    public LocalFlyweight token(final long token)
    {
        buffer.putLong(offset + TOKEN_OFFSET, token, BIG);
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
    public LocalFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Reads the sender's LAN endpoint into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readLan(final Endpoint into)
    {
        return into.read(buffer, offset + LAN_OFFSET);
    }

    /**
     * Sets the sender's LAN endpoint (required: IPv4 or IPv6 with a non-zero port).
     *
     * @param lan the endpoint.
     * @return this.
     */
    public LocalFlyweight lan(final Endpoint lan)
    {
        lan.write(buffer, offset + LAN_OFFSET);
        return this;
    }
}
