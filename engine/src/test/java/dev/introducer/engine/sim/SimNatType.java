package dev.introducer.engine.sim;

/**
 * NAT behaviours, in RFC 4787 terms, with the netsim class each one ports.
 */
public enum SimNatType
{
    /**
     * Endpoint-independent mapping and filtering (netsim {@code IndependentNat}): once a host has sent from a
     * port, anyone may send to its mapped port while the mapping is in use.
     */
    FULL_CONE(false),

    /**
     * Endpoint-independent mapping, address-and-port-dependent filtering (netsim
     * {@code IndependentFirewallNat}): the "easy" NAT. Introducers see one stable public port, but a remote
     * gets in only after the host has sent to that exact remote ip:port.
     */
    PORT_RESTRICTED(false),

    /**
     * Address-and-port-dependent mapping: a new random external port for every destination ip:port (netsim
     * {@code DependentNat}), the "hard" NAT. Filtering is by remote ip:port on any mapped port, as netsim
     * does.
     */
    SYMMETRIC(true);

    private final boolean mapsPerDestination;

    SimNatType(final boolean mapsPerDestination)
    {
        this.mapsPerDestination = mapsPerDestination;
    }

    /**
     * Whether the external port depends on the destination.
     *
     * @return true for a symmetric NAT.
     */
    public boolean mapsPerDestination()
    {
        return mapsPerDestination;
    }
}
