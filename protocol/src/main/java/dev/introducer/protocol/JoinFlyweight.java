package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * JOIN (0x05): a peer joins a swarm at an introducer or swarm member.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x05)                       |  0
 * +---------------+---------------+-------------------------------+
 * |   nat (u8)    | wanted (u8)   |        current (u16)          |  4
 * +---------------+---------------+-------------------------------+
 * |                     restart epoch (u64)                       |  8
 * +---------------------------------------------------------------+
 * |                        cookie (u64)                           | 16
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 24
 * +---------------------------------------------------------------+
 * |                     swarm id (32 bytes)                       | 56
 * +---------------------------------------------------------------+
 * |        sender's LAN endpoint (20 bytes, family 0 if unknown)  | 88
 * +---------------------------------------------------------------+ 108
 * </pre>
 */
public final class JoinFlyweight extends FrameFlyweight
{
    /** Offset of the sender's NAT type. */
    public static final int NAT_OFFSET = 4;
    /** Offset of the number of introductions wanted. */
    public static final int WANTED_OFFSET = 5;
    /** Offset of the number of swarm peers the sender already has. */
    public static final int CURRENT_OFFSET = 6;
    /** Offset of the restart epoch. */
    public static final int RESTART_EPOCH_OFFSET = 8;
    /** Offset of the return-routability cookie. */
    public static final int COOKIE_OFFSET = 16;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 24;
    /** Offset of the swarm id. */
    public static final int SWARM_ID_OFFSET = 56;
    /** Offset of the sender's LAN endpoint. */
    public static final int LAN_OFFSET = 88;
    /** Fixed length. */
    public static final int LENGTH = 108;

    /**
     * Starts a JOIN.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public JoinFlyweight wrapForJoin(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.JOIN);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = validateNat(buffer, offset + NAT_OFFSET);
        return result != 0 ? result : Endpoint.validate(buffer, offset + LAN_OFFSET, false);
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
    public JoinFlyweight nat(final NatType nat)
    {
        buffer.putByte(offset + NAT_OFFSET, (byte)nat.code());
        return this;
    }

    /**
     * How many introductions the sender wants.
     *
     * @return 0..255.
     */
    public int wanted()
    {
        return buffer.getByte(offset + WANTED_OFFSET) & 0xFF;
    }

    /**
     * Sets how many introductions the sender wants.
     *
     * @param wanted 0..255.
     * @return this.
     */
    public JoinFlyweight wanted(final int wanted)
    {
        buffer.putByte(offset + WANTED_OFFSET, (byte)wanted);
        return this;
    }

    /**
     * How many peers of this swarm the sender already has.
     *
     * @return 0..65535.
     */
    public int current()
    {
        return buffer.getShort(offset + CURRENT_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets how many peers of this swarm the sender already has.
     *
     * @param current 0..65535.
     * @return this.
     */
    public JoinFlyweight current(final int current)
    {
        buffer.putShort(offset + CURRENT_OFFSET, (short)current, BIG);
        return this;
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
    public JoinFlyweight restartEpoch(final long epoch)
    {
        buffer.putLong(offset + RESTART_EPOCH_OFFSET, epoch, BIG);
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
    public JoinFlyweight cookie(final long cookie)
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
    public JoinFlyweight senderId(final Id32 id)
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
    public JoinFlyweight swarmId(final Id32 id)
    {
        id.write(buffer, offset + SWARM_ID_OFFSET);
        return this;
    }

    /**
     * Reads the sender's LAN endpoint (none if unknown) into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readLan(final Endpoint into)
    {
        return into.read(buffer, offset + LAN_OFFSET);
    }

    /**
     * Sets the sender's LAN endpoint; an empty {@link Endpoint} writes none.
     *
     * @param lan the endpoint.
     * @return this.
     */
    public JoinFlyweight lan(final Endpoint lan)
    {
        lan.write(buffer, offset + LAN_OFFSET);
        return this;
    }
}
