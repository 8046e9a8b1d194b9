package dev.introducer.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * LEAVE (0x06): a peer leaves a swarm.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x06)                       |  0
 * +---------------------------------------------------------------+
 * |                       reserved (u32)                          |  4
 * +---------------------------------------------------------------+
 * |                        cookie (u64)                           |  8
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 16
 * +---------------------------------------------------------------+
 * |                     swarm id (32 bytes)                       | 48
 * +---------------------------------------------------------------+  80
 * </pre>
 */
public final class LeaveFlyweight extends FrameFlyweight
{
    /** Offset of the return-routability cookie. */
    public static final int COOKIE_OFFSET = 8;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 16;
    /** Offset of the swarm id. */
    public static final int SWARM_ID_OFFSET = 48;
    /** Fixed length. */
    public static final int LENGTH = 80;

    /**
     * Starts a LEAVE.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public LeaveFlyweight wrapForLeave(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.LEAVE);
        return this;
    }

    /**
     * The token of the receiver's last PONG to the sender, 0 if none.
     *
     * @return the cookie.
     */
    public long cookie()
    {
        return buffer.getLong(offset + COOKIE_OFFSET, BIG);
    }

    /**
     * Sets the cookie.
     *
     * @param cookie value.
     * @return this.
     */
    public LeaveFlyweight cookie(final long cookie)
    {
        buffer.putLong(offset + COOKIE_OFFSET, cookie, BIG);
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
    public LeaveFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the swarm id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int swarmIdOffset()
    {
        return offset + SWARM_ID_OFFSET;
    }

    /**
     * Reads the swarm id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 swarmId()
    {
        return Id32.read(buffer, offset + SWARM_ID_OFFSET);
    }

    /**
     * Sets the swarm id.
     *
     * @param id value.
     * @return this.
     */
    public LeaveFlyweight swarmId(final Id32 id)
    {
        id.write(buffer, offset + SWARM_ID_OFFSET);
        return this;
    }
}
