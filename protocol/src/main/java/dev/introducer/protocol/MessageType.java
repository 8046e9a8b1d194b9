package dev.introducer.protocol;

/**
 * Message type codes and their fixed lengths. See {@code protocol/README.md} for every layout.
 */
public final class MessageType
{
    /** Discovery, keepalive and punch probe. */
    public static final int PING = 0x01;
    /** Reply to {@link #PING} with the pinger's observed endpoint. */
    public static final int PONG = 0x02;
    /** "Answer me from another port or address". */
    public static final int PROBE = 0x03;
    /** Reply to {@link #PROBE}, sent from the other socket. */
    public static final int PROBE_REPLY = 0x04;
    /** Join a swarm. */
    public static final int JOIN = 0x05;
    /** Leave a swarm. */
    public static final int LEAVE = 0x06;
    /** Ask to be introduced to a peer. */
    public static final int INTRO = 0x07;
    /** "Connect to this peer now", from an introducer. */
    public static final int CONNECT = 0x08;
    /** An error reply. */
    public static final int ERROR = 0x09;
    /** Forward the inner frame to a peer. */
    public static final int RELAY = 0x0A;
    /** A peer's LAN endpoint, for peers behind the same NAT. */
    public static final int LOCAL = 0x0B;
    /** Application data. */
    public static final int DATA = 0x0C;
    /** Bind a leg of a relay session with a token. */
    public static final int RELAY_BIND = 0x0D;
    /** The relay's answer to {@link #RELAY_BIND}. */
    public static final int RELAY_BIND_ACK = 0x0E;
    /** Data on a bound relay channel. */
    public static final int RELAY_DATA = 0x0F;
    /** A relay session and its token, from an introducer. */
    public static final int RELAY_OFFER = 0x10;

    /** Not a frame of ours: a well-formed STUN message. */
    public static final int STUN = 0x100;

    /** The largest type code in use. */
    public static final int MAX_TYPE = RELAY_OFFER;

    private static final int[] FIXED_LENGTHS = new int[MAX_TYPE + 1];

    static
    {
        FIXED_LENGTHS[PING] = 84;
        FIXED_LENGTHS[PONG] = 84;
        FIXED_LENGTHS[PROBE] = 68;
        FIXED_LENGTHS[PROBE_REPLY] = 68;
        FIXED_LENGTHS[JOIN] = 108;
        FIXED_LENGTHS[LEAVE] = 80;
        FIXED_LENGTHS[INTRO] = 112;
        FIXED_LENGTHS[CONNECT] = 160;
        FIXED_LENGTHS[ERROR] = 80;
        FIXED_LENGTHS[RELAY] = 72;
        FIXED_LENGTHS[LOCAL] = 68;
        FIXED_LENGTHS[DATA] = 4;
        FIXED_LENGTHS[RELAY_BIND] = 140;
        FIXED_LENGTHS[RELAY_BIND_ACK] = 24;
        FIXED_LENGTHS[RELAY_DATA] = 8;
        FIXED_LENGTHS[RELAY_OFFER] = 140;
    }

    private MessageType()
    {
    }

    /**
     * Whether a code is a known frame type.
     *
     * @param type code.
     * @return true if known.
     */
    public static boolean isKnown(final int type)
    {
        return type >= PING && type <= MAX_TYPE;
    }

    /**
     * The fixed length of a type: the minimum length of a valid frame, header included.
     *
     * @param type a known code.
     * @return its fixed length.
     */
    public static int fixedLength(final int type)
    {
        return FIXED_LENGTHS[type];
    }

    /**
     * Whether a type carries a variable payload and may be as long as {@link FrameHeader#MAX_FRAME_LENGTH}.
     *
     * @param type a known code.
     * @return true for DATA and RELAY_DATA.
     */
    public static boolean isDataType(final int type)
    {
        return type == DATA || type == RELAY_DATA;
    }

    /**
     * The largest length a frame of this type may have.
     *
     * @param type a known code.
     * @return its maximum length.
     */
    public static int maxLength(final int type)
    {
        return isDataType(type) ? FrameHeader.MAX_FRAME_LENGTH : FrameHeader.MAX_CONTROL_FRAME_LENGTH;
    }

    /**
     * A stable lower-case name, for counters and logs.
     *
     * @param type code.
     * @return its name.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case PING: return "ping";
            case PONG: return "pong";
            case PROBE: return "probe";
            case PROBE_REPLY: return "probe_reply";
            case JOIN: return "join";
            case LEAVE: return "leave";
            case INTRO: return "intro";
            case CONNECT: return "connect";
            case ERROR: return "error";
            case RELAY: return "relay";
            case LOCAL: return "local";
            case DATA: return "data";
            case RELAY_BIND: return "relay_bind";
            case RELAY_BIND_ACK: return "relay_bind_ack";
            case RELAY_DATA: return "relay_data";
            case RELAY_OFFER: return "relay_offer";
            case STUN: return "stun";
            default: return "unknown";
        }
    }
}
