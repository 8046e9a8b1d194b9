package dev.introducer.tools.lab;

/**
 * The NAT behaviour of one lab router, as {@code tools/lab/netlab.sh} names it (see tools/lab/README.md).
 */
public enum NatMode
{
    /** Endpoint-independent mapping that keeps the source port ({@code masquerade}); port-restricted filtering. */
    EASY("easy"),
    /** A new random public port per destination ({@code masquerade fully-random}): a "symmetric" NAT. */
    HARD("hard"),
    /** Like {@link #EASY}, but an early unsolicited packet pins a conntrack entry and the punch gets a new port. */
    EASY_ICMP("easy-icmp"),
    /** {@code masquerade random}: on current kernels the same as {@link #HARD}. */
    RANDOM("random"),
    /** A plain router: no translation, no filtering; the LAN address is reachable. */
    NONE("none");

    private final String scriptName;

    NatMode(final String scriptName)
    {
        this.scriptName = scriptName;
    }

    /**
     * The mode's name on the netlab.sh command line.
     *
     * @return e.g. {@code "easy-icmp"}.
     */
    public String scriptName()
    {
        return scriptName;
    }
}
