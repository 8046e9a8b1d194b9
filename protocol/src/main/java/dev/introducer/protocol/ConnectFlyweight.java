package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * CONNECT (0x08): an introducer tells each of two peers "connect to this peer now".
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x08)                       |  0
 * +---------------+---------------+-------------------------------+
 * | target nat(u8)|  flags (u8)   |      swarm peers (u16)        |  4
 * +---------------+---------------+-------------------------------+
 * |                  introduction token (u64)                     |  8
 * +---------------------------------------------------------------+
 * |                 target restart epoch (u64)                    | 16
 * +---------------------------------------------------------------+
 * |                  introducer id (32 bytes)                     | 24
 * +---------------------------------------------------------------+
 * |                    target id (32 bytes)                       | 56
 * +---------------------------------------------------------------+
 * |            swarm id (32 bytes, all zero = no swarm)           | 88
 * +---------------------------------------------------------------+
 * |          target public endpoint (20 bytes, required)          | 120
 * +---------------------------------------------------------------+
 * |              target LAN endpoint (20 bytes)                   | 140
 * +---------------------------------------------------------------+ 160
 * </pre>
 */
public final class ConnectFlyweight extends FrameFlyweight
{
    /** Flag: the pair cannot be punched (hard to hard); use a relay. */
    public static final int NEEDS_RELAY = 1;
    /** Flag: both peers have the same public address; connect over the LAN endpoints. */
    public static final int SAME_NAT = 2;
    /** Flag: one side lost its path; start a fresh attempt even if connected (the old path stays until then). */
    public static final int RENEW = 4;

    /** Offset of the target's NAT type. */
    public static final int TARGET_NAT_OFFSET = 4;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 5;
    /** Offset of the number of swarm members the introducer knows. */
    public static final int SWARM_PEERS_OFFSET = 6;
    /** Offset of the introduction token. */
    public static final int TOKEN_OFFSET = 8;
    /** Offset of the target's restart epoch. */
    public static final int TARGET_RESTART_EPOCH_OFFSET = 16;
    /** Offset of the introducer id. */
    public static final int INTRODUCER_ID_OFFSET = 24;
    /** Offset of the target id. */
    public static final int TARGET_ID_OFFSET = 56;
    /** Offset of the swarm id. */
    public static final int SWARM_ID_OFFSET = 88;
    /** Offset of the target's public endpoint. */
    public static final int TARGET_PUBLIC_OFFSET = 120;
    /** Offset of the target's LAN endpoint. */
    public static final int TARGET_LAN_OFFSET = 140;
    /** Fixed length. */
    public static final int LENGTH = 160;

    /**
     * Starts a CONNECT.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public ConnectFlyweight wrapForConnect(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.CONNECT);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        int result = validateNat(buffer, offset + TARGET_NAT_OFFSET);
        if (result == 0)
        {
            result = Endpoint.validate(buffer, offset + TARGET_PUBLIC_OFFSET, true);
        }
        return result != 0 ? result : Endpoint.validate(buffer, offset + TARGET_LAN_OFFSET, false);
    }

    /**
     * The target's NAT type code.
     *
     * @return 0..3, see {@link NatType}.
     */
    public int targetNat()
    {
        return buffer.getByte(offset + TARGET_NAT_OFFSET) & 0xFF;
    }

    /**
     * Sets the target's NAT type.
     *
     * @param nat the type.
     * @return this.
     */
    public ConnectFlyweight targetNat(final NatType nat)
    {
        buffer.putByte(offset + TARGET_NAT_OFFSET, (byte)nat.code());
        return this;
    }

    /**
     * The flags: {@link #NEEDS_RELAY}, {@link #SAME_NAT}, {@link #RENEW}.
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
     * @param flags a combination of {@link #NEEDS_RELAY} and {@link #SAME_NAT}.
     * @return this.
     */
    public ConnectFlyweight flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * Whether a flag is set.
     *
     * @param flag one of the flag constants.
     * @return true if set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags() & flag) != 0;
    }

    /**
     * How many members of the swarm the introducer knows.
     *
     * @return 0..65535.
     */
    public int swarmPeers()
    {
        return buffer.getShort(offset + SWARM_PEERS_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets how many members of the swarm the introducer knows.
     *
     * @param peers 0..65535.
     * @return this.
     */
    public ConnectFlyweight swarmPeers(final int peers)
    {
        buffer.putShort(offset + SWARM_PEERS_OFFSET, (short)peers, BIG);
        return this;
    }

    /**
     * The introduction token that every punch probe of this pair carries.
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
    public ConnectFlyweight token(final long token)
    {
        buffer.putLong(offset + TOKEN_OFFSET, token, BIG);
        return this;
    }

    /**
     * The target's restart epoch.
     *
     * @return the epoch.
     */
    public long targetRestartEpoch()
    {
        return buffer.getLong(offset + TARGET_RESTART_EPOCH_OFFSET, BIG);
    }

    /**
     * Sets the target's restart epoch.
     *
     * @param epoch value.
     * @return this.
     */
    public ConnectFlyweight targetRestartEpoch(final long epoch)
    {
        buffer.putLong(offset + TARGET_RESTART_EPOCH_OFFSET, epoch, BIG);
        return this;
    }

    /**
     * Absolute offset of the introducer id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int introducerIdOffset()
    {
        return offset + INTRODUCER_ID_OFFSET;
    }

    /**
     * Reads the introducer id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 introducerId()
    {
        return Id32.read(buffer, offset + INTRODUCER_ID_OFFSET);
    }

    /**
     * Sets the introducer id.
     *
     * @param id value.
     * @return this.
     */
    public ConnectFlyweight introducerId(final Id32 id)
    {
        id.write(buffer, offset + INTRODUCER_ID_OFFSET);
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
    public ConnectFlyweight targetId(final Id32 id)
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
    public ConnectFlyweight swarmId(final Id32 id)
    {
        id.write(buffer, offset + SWARM_ID_OFFSET);
        return this;
    }

    /**
     * Reads the target's public endpoint into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readTargetPublic(final Endpoint into)
    {
        return into.read(buffer, offset + TARGET_PUBLIC_OFFSET);
    }

    /**
     * Sets the target's public endpoint (required: IPv4 or IPv6 with a non-zero port).
     *
     * @param endpoint the endpoint.
     * @return this.
     */
    public ConnectFlyweight targetPublic(final Endpoint endpoint)
    {
        endpoint.write(buffer, offset + TARGET_PUBLIC_OFFSET);
        return this;
    }

    /**
     * Reads the target's LAN endpoint (none if unknown) into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readTargetLan(final Endpoint into)
    {
        return into.read(buffer, offset + TARGET_LAN_OFFSET);
    }

    /**
     * Sets the target's LAN endpoint; an empty {@link Endpoint} writes none.
     *
     * @param endpoint the endpoint.
     * @return this.
     */
    public ConnectFlyweight targetLan(final Endpoint endpoint)
    {
        endpoint.write(buffer, offset + TARGET_LAN_OFFSET);
        return this;
    }
}
