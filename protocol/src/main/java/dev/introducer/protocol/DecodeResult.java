package dev.introducer.protocol;

/**
 * The negative codes a decoder returns for untrusted bytes, instead of throwing. Positive results are message
 * type codes ({@link MessageType}).
 */
public final class DecodeResult
{
    /** Shorter than the header or than the type's fixed length, or arguments that are not a range of the buffer. */
    public static final int ERR_TRUNCATED = -1;
    /** Neither our magic nor a STUN message. */
    public static final int ERR_BAD_MAGIC = -2;
    /** Our magic, another major version. */
    public static final int ERR_BAD_VERSION = -3;
    /** Our magic and version, an unknown type code. */
    public static final int ERR_UNKNOWN_TYPE = -4;
    /** Longer than the type allows. */
    public static final int ERR_OVERSIZED = -5;
    /** A field out of range. */
    public static final int ERR_BAD_FIELD = -6;
    /** STUN header and cookie, but a bad length, attribute layout or FINGERPRINT. */
    public static final int ERR_STUN_MALFORMED = -7;

    /** Number of distinct error codes, for counter arrays indexed by {@code -code}. */
    public static final int ERROR_COUNT = 7;

    private DecodeResult()
    {
    }

    /**
     * A stable name for an error code, for counters and logs.
     *
     * @param code a negative result.
     * @return its name, or "OK" for a non-negative result.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case ERR_TRUNCATED: return "truncated";
            case ERR_BAD_MAGIC: return "bad_magic";
            case ERR_BAD_VERSION: return "bad_version";
            case ERR_UNKNOWN_TYPE: return "unknown_type";
            case ERR_OVERSIZED: return "oversized";
            case ERR_BAD_FIELD: return "bad_field";
            case ERR_STUN_MALFORMED: return "stun_malformed";
            default: return code >= 0 ? "ok" : "unknown_error";
        }
    }
}
