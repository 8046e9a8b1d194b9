package dev.introducer.engine;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;

/**
 * The result of NAT discovery, as a value: mapping and filtering behaviour (RFC 4787 terms), the public endpoint,
 * and the {@link NatType} that the strategies use.
 *
 * @param natType        static, easy or hard (unknown until discovery finishes).
 * @param mapping        how the NAT maps: one port for all destinations, or one per destination.
 * @param filtering      whether unsolicited packets from elsewhere get in.
 * @param publicEndpoint our endpoint as the first introducer saw it.
 * @param localEndpoint  our LAN endpoint when discovery ran.
 * @param introducersAnswered how many introducers answered.
 */
public record NatReport(
    NatType natType,
    Mapping mapping,
    Filtering filtering,
    Endpoint publicEndpoint,
    Endpoint localEndpoint,
    int introducersAnswered)
{
    /**
     * NAT mapping behaviour.
     */
    public enum Mapping
    {
        /** Not known: fewer than two introducers answered. */
        UNKNOWN,
        /** The same public port towards every destination ("easy"). */
        ENDPOINT_INDEPENDENT,
        /** A new public port per destination ("hard", symmetric). */
        ENDPOINT_DEPENDENT
    }

    /**
     * NAT filtering behaviour, as far as one probe from another port can tell.
     */
    public enum Filtering
    {
        /** Not known yet. */
        UNKNOWN,
        /** A packet from a port we never sent to got in: open (endpoint-independent) filtering. */
        OPEN,
        /** It did not: address- or address-and-port-dependent filtering. */
        RESTRICTED
    }

    /**
     * Whether our public address is our local one: no NAT at all.
     *
     * @return true if the public and local endpoints are equal.
     */
    public boolean noNat()
    {
        return null != publicEndpoint && publicEndpoint.equals(localEndpoint);
    }
}
