package dev.introducer.protocol;

/**
 * The codes of an ERROR frame's {@code code} field and of a RELAY_BIND_ACK's {@code status}. Codes not listed here
 * are valid on the wire (a newer peer may send them) and are reported as unknown.
 */
public final class ErrorCode
{
    /** No error: the status of a successful RELAY_BIND_ACK. */
    public static final int OK = 0;
    /** The swarm has no other member; {@code detail} is the number of members known. */
    public static final int SWARM_EMPTY = 1;
    /** The target peer is not known to the introducer. */
    public static final int UNKNOWN_PEER = 2;
    /** The request's version is not supported. */
    public static final int UNSUPPORTED_VERSION = 3;
    /** The sender is over its rate limit. */
    public static final int RATE_LIMITED = 4;
    /** The request was malformed or made no sense. */
    public static final int BAD_REQUEST = 5;
    /** No relay can take the session. */
    public static final int RELAY_UNAVAILABLE = 6;
    /** The relay token did not verify. */
    public static final int TOKEN_INVALID = 7;
    /** The relay token is past its expiry. */
    public static final int TOKEN_EXPIRED = 8;
    /** The relay quota of the sender or session is used up. */
    public static final int QUOTA_EXCEEDED = 9;

    private ErrorCode()
    {
    }

    /**
     * Whether a code is one this version knows.
     *
     * @param code from the wire.
     * @return true for {@link #OK} through {@link #QUOTA_EXCEEDED}.
     */
    public static boolean isKnown(final int code)
    {
        return code >= OK && code <= QUOTA_EXCEEDED;
    }

    /**
     * A stable lower-case name, for counters and logs.
     *
     * @param code from the wire.
     * @return its name, or "unknown".
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case OK: return "ok";
            case SWARM_EMPTY: return "swarm_empty";
            case UNKNOWN_PEER: return "unknown_peer";
            case UNSUPPORTED_VERSION: return "unsupported_version";
            case RATE_LIMITED: return "rate_limited";
            case BAD_REQUEST: return "bad_request";
            case RELAY_UNAVAILABLE: return "relay_unavailable";
            case TOKEN_INVALID: return "token_invalid";
            case TOKEN_EXPIRED: return "token_expired";
            case QUOTA_EXCEEDED: return "quota_exceeded";
            default: return "unknown";
        }
    }
}
