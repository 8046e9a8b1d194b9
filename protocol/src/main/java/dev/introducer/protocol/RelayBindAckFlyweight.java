package dev.introducer.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * RELAY_BIND_ACK (0x0E): a relay's answer to a RELAY_BIND.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x0E)                       |  0
 * +-------------------------------+-------------------------------+
 * |          status (u16)         |          legs (u16)           |  4
 * +-------------------------------+-------------------------------+
 * |                      session id (u64)                         |  8
 * +---------------------------------------------------------------+
 * |                     channel id (u32)                          | 16
 * +---------------------------------------------------------------+
 * |                       reserved (u32)                          | 20
 * +---------------------------------------------------------------+  24
 * </pre>
 * {@code status} is {@link ErrorCode#OK} (bound, and the channel id is the one to put in RELAY_DATA) or an
 * {@link ErrorCode}.
 */
public final class RelayBindAckFlyweight extends FrameFlyweight
{
    /** Offset of the status. */
    public static final int STATUS_OFFSET = 4;
    /** Offset of the count of bound legs (1: waiting for the other peer, 2: data flows). */
    public static final int LEGS_OFFSET = 6;
    /** Offset of the session id. */
    public static final int SESSION_ID_OFFSET = 8;
    /** Offset of the channel id. */
    public static final int CHANNEL_ID_OFFSET = 16;
    /** Fixed length. */
    public static final int LENGTH = 24;

    /**
     * Starts a RELAY_BIND_ACK.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public RelayBindAckFlyweight wrapForRelayBindAck(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.RELAY_BIND_ACK);
        return this;
    }

    /**
     * The status: {@link ErrorCode#OK} or an error code.
     *
     * @return 0..65535.
     */
    public int status()
    {
        return buffer.getShort(offset + STATUS_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets the status.
     *
     * @param status {@link ErrorCode#OK} or an error code.
     * @return this.
     */
    public RelayBindAckFlyweight status(final int status)
    {
        buffer.putShort(offset + STATUS_OFFSET, (short)status, BIG);
        return this;
    }

    /**
     * Legs bound: 1 while the other peer has not bound yet, 2 when data can flow.
     *
     * @return the count.
     */
    public int legs()
    {
        return buffer.getShort(offset + LEGS_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets the count of bound legs.
     *
     * @param legs 0..2.
     * @return this.
     */
    public RelayBindAckFlyweight legs(final int legs)
    {
        buffer.putShort(offset + LEGS_OFFSET, (short)legs, BIG);
        return this;
    }

    /**
     * The relay session id, copied from the RELAY_BIND.
     *
     * @return the id.
     */
    public long sessionId()
    {
        return buffer.getLong(offset + SESSION_ID_OFFSET, BIG);
    }

    /**
     * Sets the relay session id.
     *
     * @param sessionId value.
     * @return this.
     */
    public RelayBindAckFlyweight sessionId(final long sessionId)
    {
        buffer.putLong(offset + SESSION_ID_OFFSET, sessionId, BIG);
        return this;
    }

    /**
     * The channel id the relay assigned, an opaque 32-bit value; 0 when the bind failed.
     *
     * @return the id.
     */
    public int channelId()
    {
        return buffer.getInt(offset + CHANNEL_ID_OFFSET, BIG);
    }

    /**
     * Sets the channel id.
     *
     * @param channelId non-zero when bound.
     * @return this.
     */
    public RelayBindAckFlyweight channelId(final int channelId)
    {
        buffer.putInt(offset + CHANNEL_ID_OFFSET, channelId, BIG);
        return this;
    }
}
