package dev.introducer.engine.sim;

/**
 * Why the simulator dropped a datagram. Every datagram a host hands to the simulator ends either delivered or
 * dropped for exactly one of these reasons, so the counters always balance.
 */
public enum SimDropReason
{
    /** Lost to the network's per-hop loss rate or to the sending host's own loss rate. */
    LOSS,
    /** Refused by a NAT: no mapping for the external port, or no live filtering state for the remote. */
    FILTERED,
    /**
     * Nowhere to go: an unknown public address, another NAT's private address, a host that has moved away, an
     * invalid destination, a hairpin through a NAT that does not support it, or a NAT out of external ports.
     */
    NO_ROUTE,
    /** The sending or the receiving host was asleep. */
    ASLEEP,
    /** The receiving host has no socket bound to the destination port (or no application started). */
    NO_SOCKET
}
