package dev.introducer.engine;

/**
 * How a connection is attempted, chosen from the pair of NAT types (see {@code engine/README.md}).
 */
public enum Strategy
{
    /** Pings with retries from the main socket: either side static, or easy ↔ easy (simultaneous open). */
    DIRECT("direct"),
    /** The easy side of easy ↔ hard: probes random distinct ports of the hard side's public address. */
    SPRAY_EASY_SIDE("spray-easy"),
    /** The hard side of easy ↔ hard: a pool of sockets, each sends one probe to the easy side. */
    SPRAY_HARD_SIDE("spray-hard"),
    /** Same public address: pings to the peer's LAN endpoint. */
    LOCAL("local"),
    /** Hard ↔ hard: no punch can work, the pair needs a relay. */
    RELAY("relay");

    private final String label;

    Strategy(final String label)
    {
        this.label = label;
    }

    /**
     * The name used in JSON output.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }
}
