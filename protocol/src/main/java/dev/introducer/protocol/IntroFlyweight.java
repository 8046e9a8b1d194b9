package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * INTRO (0x07): a peer asks an introducer to introduce it to another peer.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x07)                       |  0
 * +---------------+---------------+-------------------------------+
 * |   nat (u8)    |  flags (u8)   |        reserved (u16)         |  4
 * +---------------+---------------+-------------------------------+
 * |                        cookie (u64)                           |  8
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 16
 * +---------------------------------------------------------------+
 * |                    target id (32 bytes)                       | 48
 * +---------------------------------------------------------------+
 * |            swarm id (32 bytes, all zero = no swarm)           | 80
 * +---------------------------------------------------------------+ 112
 * </pre>
 */
public final class IntroFlyweight extends FrameFlyweight
{
    /** Flag: the sender lost its path to the target; re-introduce the pair even if they look connected. */
    public static final int RENEW = 1;
    /** Flag: a direct attempt to the target failed; offer the pair a relay session. */
    public static final int RELAY = 2;

    /** Offset of the sender's NAT type. */
    public static final int NAT_OFFSET = 4;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 5;
    /** Offset of the return-routability cookie. */
    public static final int COOKIE_OFFSET = 8;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 16;
    /** Offset of the target id. */
    public static final int TARGET_ID_OFFSET = 48;
    /** Offset of the swarm id. */
    public static final int SWARM_ID_OFFSET = 80;
    /** Fixed length. */
    public static final int LENGTH = 112;

    /**
     * Starts an INTRO.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public IntroFlyweight wrapForIntro(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.INTRO);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return validateNat(buffer, offset + NAT_OFFSET);
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
    public IntroFlyweight nat(final NatType nat)
    {
        buffer.putByte(offset + NAT_OFFSET, (byte)nat.code());
        return this;
    }

    /**
     * The flags: {@link #RENEW}, {@link #RELAY}.
     *
     * @return the flags byte.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Sets the flags.
     *
     * @param flags a combination of {@link #RENEW}.
     * @return this.
     */
    public IntroFlyweight flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
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
    public IntroFlyweight cookie(final long cookie)
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
    public IntroFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the target id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int targetIdOffset()
    {
        return offset + TARGET_ID_OFFSET;
    }

    /**
     * Reads the target id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 targetId()
    {
        return Id32.read(buffer, offset + TARGET_ID_OFFSET);
    }

    /**
     * Sets the target id.
     *
     * @param id value.
     * @return this.
     */
    public IntroFlyweight targetId(final Id32 id)
    {
        id.write(buffer, offset + TARGET_ID_OFFSET);
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
     * Reads the swarm id, {@link Id32#ZERO} for no swarm (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 swarmId()
    {
        return Id32.read(buffer, offset + SWARM_ID_OFFSET);
    }

    /**
     * Sets the swarm id; {@link Id32#ZERO} for no swarm.
     *
     * @param id value.
     * @return this.
     */
    public IntroFlyweight swarmId(final Id32 id)
    {
        id.write(buffer, offset + SWARM_ID_OFFSET);
        return this;
    }
}
