package dev.introducer.protocol.stun;

/**
 * STUN attribute types (RFC 8489 §18.3) and the set this codec understands. Types below {@code 0x8000} are
 * comprehension-required: a Binding request carrying one this codec does not understand gets a 420 answer. Types
 * from {@code 0x8000} are comprehension-optional and skipped when not understood.
 */
public final class StunAttribute
{
    /** MAPPED-ADDRESS (RFC 3489 clients). */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** USERNAME. */
    public static final int USERNAME = 0x0006;
    /** MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** ERROR-CODE. */
    public static final int ERROR_CODE = 0x0009;
    /** UNKNOWN-ATTRIBUTES. */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** REALM. */
    public static final int REALM = 0x0014;
    /** NONCE. */
    public static final int NONCE = 0x0015;
    /** MESSAGE-INTEGRITY-SHA256. */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** PASSWORD-ALGORITHM. */
    public static final int PASSWORD_ALGORITHM = 0x001D;
    /** USERHASH. */
    public static final int USERHASH = 0x001E;
    /** XOR-MAPPED-ADDRESS. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** SOFTWARE (comprehension-optional). */
    public static final int SOFTWARE = 0x8022;
    /** ALTERNATE-SERVER (comprehension-optional). */
    public static final int ALTERNATE_SERVER = 0x8023;
    /** FINGERPRINT (comprehension-optional): CRC-32 of the message XOR {@link #FINGERPRINT_XOR}. */
    public static final int FINGERPRINT = 0x8028;

    /** Length of an attribute's type and length fields. */
    public static final int HEADER_LENGTH = 4;
    /** Value length of FINGERPRINT. */
    public static final int FINGERPRINT_LENGTH = 4;
    /** Value length of MESSAGE-INTEGRITY. */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** What the CRC-32 is XORed with in FINGERPRINT: "STUN" in ASCII. */
    public static final int FINGERPRINT_XOR = 0x5354_554E;

    /** XOR-MAPPED-ADDRESS family code of IPv4. */
    public static final int ADDRESS_FAMILY_IPV4 = 0x01;
    /** XOR-MAPPED-ADDRESS family code of IPv6. */
    public static final int ADDRESS_FAMILY_IPV6 = 0x02;

    private StunAttribute()
    {
    }

    /**
     * Whether an attribute type is comprehension-required.
     *
     * @param type attribute type.
     * @return true below {@code 0x8000}.
     */
    public static boolean isComprehensionRequired(final int type)
    {
        return type < 0x8000;
    }

    /**
     * Whether this codec understands a comprehension-required type.
     *
     * @param type attribute type below {@code 0x8000}.
     * @return true for the types listed in this class.
     */
    public static boolean isUnderstood(final int type)
    {
        switch (type)
        {
            case MAPPED_ADDRESS:
            case USERNAME:
            case MESSAGE_INTEGRITY:
            case ERROR_CODE:
            case UNKNOWN_ATTRIBUTES:
            case REALM:
            case NONCE:
            case MESSAGE_INTEGRITY_SHA256:
            case PASSWORD_ALGORITHM:
            case USERHASH:
            case XOR_MAPPED_ADDRESS:
                return true;
            default:
                return false;
        }
    }

    /**
     * The length of a value padded to the 4-byte boundary that every attribute ends on.
     *
     * @param valueLength unpadded length.
     * @return the padded length.
     */
    public static int padded(final int valueLength)
    {
        return (valueLength + 3) & ~3;
    }
}
