package dev.introducer.engine.sim;

import java.util.HashMap;
import java.util.Map;

import dev.introducer.protocol.Endpoint;

/**
 * An address space that hosts live in: the internet itself ({@link SimNetwork}) or the private side of a
 * {@link SimNat}. A host is in exactly one subnet at a time and can move between them.
 */
public abstract class SimSubnet
{
    private final Map<Integer, SimHost> hosts = new HashMap<>();

    SimSubnet()
    {
    }

    /**
     * The network this subnet belongs to (itself for the internet).
     *
     * @return the network.
     */
    public abstract SimNetwork network();

    /**
     * Adds a host at an address of this subnet. Start it with {@link SimHost#start(SimApplication)}.
     *
     * @param ipv4 the host's address, big-endian; must be free in this subnet.
     * @return the new host.
     * @throws IllegalArgumentException when the address is taken.
     */
    public SimHost addHost(final int ipv4)
    {
        final SimHost host = new SimHost(network(), this, ipv4);
        attach(host, ipv4);
        return host;
    }

    /**
     * Adds a host and starts an application on it.
     *
     * @param ipv4        the host's address, big-endian; must be free in this subnet.
     * @param application to run on it.
     * @return the new host.
     */
    public SimHost addHost(final int ipv4, final SimApplication application)
    {
        final SimHost host = addHost(ipv4);
        host.start(application);
        return host;
    }

    /**
     * The host at an address of this subnet.
     *
     * @param ipv4 the address.
     * @return the host, or null.
     */
    public SimHost host(final int ipv4)
    {
        return hosts.get(ipv4);
    }

    void attach(final SimHost host, final int ipv4)
    {
        if (isAddressTaken(ipv4))
        {
            throw new IllegalArgumentException("address " + SimNetwork.ipv4ToString(ipv4) + " is taken");
        }
        hosts.put(ipv4, host);
    }

    void detach(final SimHost host)
    {
        hosts.remove(host.ipv4(), host);
    }

    boolean isAddressTaken(final int ipv4)
    {
        return hosts.containsKey(ipv4);
    }

    /**
     * Routes a datagram that a host of this subnet has sent; the bytes are already the simulator's own copy.
     */
    abstract void route(SimHost from, int fromPort, Endpoint destination, byte[] datagram);
}
