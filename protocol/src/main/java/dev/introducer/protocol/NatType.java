package dev.introducer.protocol;

import java.util.Locale;

/**
 * What a peer knows of its own NAT, as carried in frames.
 * <ul>
 *     <li>{@link #STATIC}: no NAT or open filtering: unsolicited packets reach it.</li>
 *     <li>{@link #EASY}: endpoint-independent mapping: one public port for every destination.</li>
 *     <li>{@link #HARD}: endpoint-dependent mapping: a new public port per destination.</li>
 * </ul>
 */
public enum NatType
{
    /** Not known yet. */
    UNKNOWN(0),
    /** Reachable without a punch. */
    STATIC(1),
    /** Endpoint-independent mapping. */
    EASY(2),
    /** Endpoint-dependent mapping. */
    HARD(3);

    /** The largest valid wire code. */
    public static final int MAX_CODE = 3;

    private static final NatType[] BY_CODE = values();

    private final int code;

    NatType(final int code)
    {
        this.code = code;
    }

    /**
     * The wire code.
     *
     * @return 0..3.
     */
    public int code()
    {
        return code;
    }

    /**
     * The type for a wire code that a decoder has validated.
     *
     * @param code 0..3.
     * @return the type.
     */
    public static NatType fromCode(final int code)
    {
        return BY_CODE[code];
    }

    /**
     * Whether a wire code is valid.
     *
     * @param code from the wire.
     * @return true for 0..3.
     */
    public static boolean isValidCode(final int code)
    {
        return code >= 0 && code <= MAX_CODE;
    }

    /**
     * The lower-case name used in the command line's JSON.
     *
     * @return "unknown", "static", "easy" or "hard".
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
