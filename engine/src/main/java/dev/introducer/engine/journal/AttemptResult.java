package dev.introducer.engine.journal;

import java.util.Arrays;

import dev.introducer.engine.ConnectFailure;

/**
 * How a connection attempt ended, as journalled. The codes are the file format: never renumber them.
 */
public enum AttemptResult
{
    /** Connected; the record's path says how. */
    CONNECTED(1, "connected"),
    /** Hard ↔ hard: no punch can work, the pair needs a relay (no attempt was run). */
    NEEDS_RELAY(2, "needs-relay"),
    /** No probe got an answer before the attempt's time limit ({@link ConnectFailure#TIMEOUT}). */
    TIMEOUT(3, "timeout"),
    /** The spray could not get its sockets ({@link ConnectFailure#SOCKET_BUDGET_EXHAUSTED}). */
    SOCKET_BUDGET_EXHAUSTED(4, "socket-budget-exhausted"),
    /** Our NAT type was still unknown when the introduction expired ({@link ConnectFailure#NAT_UNKNOWN}). */
    NAT_UNKNOWN(5, "nat-unknown"),
    /** The relay refused the bind ({@link ConnectFailure#RELAY_REFUSED}). */
    RELAY_REFUSED(6, "relay-refused"),
    /** A failure this format has no code for yet (a newer {@link ConnectFailure}). */
    OTHER_FAILURE(7, "other-failure");

    /** The largest valid code. */
    public static final int MAX_CODE = 7;

    private static final AttemptResult[] BY_CODE = new AttemptResult[MAX_CODE + 1];
    private static final AttemptResult[] BY_FAILURE = new AttemptResult[ConnectFailure.values().length];

    static
    {
        for (final AttemptResult result : values())
        {
            BY_CODE[result.code] = result;
        }
        Arrays.fill(BY_FAILURE, OTHER_FAILURE);
        BY_FAILURE[ConnectFailure.TIMEOUT.ordinal()] = TIMEOUT;
        BY_FAILURE[ConnectFailure.SOCKET_BUDGET_EXHAUSTED.ordinal()] = SOCKET_BUDGET_EXHAUSTED;
        BY_FAILURE[ConnectFailure.NAT_UNKNOWN.ordinal()] = NAT_UNKNOWN;
        BY_FAILURE[ConnectFailure.RELAY_REFUSED.ordinal()] = RELAY_REFUSED;
    }

    private final int code;
    private final String label;

    AttemptResult(final int code, final String label)
    {
        this.code = code;
        this.label = label;
    }

    /**
     * The code stored in a record.
     *
     * @return 1..{@link #MAX_CODE}.
     */
    public int code()
    {
        return code;
    }

    /**
     * The name used in reports and JSON.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }

    /**
     * The result for a stored code, without allocating.
     *
     * @param code from a record.
     * @return the result, or null for an invalid code.
     */
    public static AttemptResult fromCode(final int code)
    {
        return code >= 0 && code <= MAX_CODE ? BY_CODE[code] : null;
    }

    /**
     * The result for a failure the core reported, without allocating.
     *
     * @param failure why the attempt failed.
     * @return the result.
     */
    public static AttemptResult of(final ConnectFailure failure)
    {
        return BY_FAILURE[failure.ordinal()];
    }
}
