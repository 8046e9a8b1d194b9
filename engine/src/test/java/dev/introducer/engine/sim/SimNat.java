package dev.introducer.engine.sim;

import java.util.HashMap;
import java.util.Map;

import dev.introducer.protocol.Endpoint;

/**
 * A NAT on the internet at one public address, with hosts behind it at private addresses (netsim's
 * {@code Nat} subclasses).
 * <p>
 * Outbound, to an address that is not one of its own hosts, it translates the source to its public address
 * and a mapped external port: one per private ip:port ({@link SimNatType#FULL_CONE},
 * {@link SimNatType#PORT_RESTRICTED}) or one per private ip:port and destination ip:port
 * ({@link SimNatType#SYMMETRIC}), chosen at random from 1024..65535 and unique in this NAT. Each outbound
 * datagram opens or refreshes filtering state; inbound datagrams on a mapped port pass only while matching
 * state is younger than the filtering timeout, and refresh it when they pass, so traffic in either direction
 * keeps a hole open (netsim's "nat timeout" behaviour).
 * <p>
 * Hosts behind the same NAT reach each other directly at their private addresses, untranslated. A datagram
 * to the NAT's own public address from inside is dropped unless hairpinning is on, in which case it goes out
 * and back in through the normal inbound path.
 */
public final class SimNat extends SimSubnet
{
    /** Default filtering timeout: netsim's TTL, close to measured home routers. */
    public static final long DEFAULT_FILTER_TIMEOUT_NS = 30_000_000_000L;
    /** Default mapping timeout: never, as in netsim. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;
    /** Lowest external port handed out. */
    public static final int MIN_EXTERNAL_PORT = 1024;
    /** Highest external port handed out. */
    public static final int MAX_EXTERNAL_PORT = 65535;

    private static final int RANDOM_PORT_TRIES = 64;
    private static final long ANY = -1;

    private final SimNetwork network;
    private final int publicIpv4;
    private final SimNatType type;
    private final Map<FlowKey, Mapping> mappingsByFlow = new HashMap<>();
    private final Map<Integer, Mapping> mappingsByPort = new HashMap<>();
    private final Map<FlowKey, Long> filterRefreshedNs = new HashMap<>();
    private boolean hairpinning;
    private long filterTimeoutNs = DEFAULT_FILTER_TIMEOUT_NS;
    private long mappingTimeoutNs = NO_TIMEOUT;
    private double lossRate;

    SimNat(final SimNetwork network, final int publicIpv4, final SimNatType type)
    {
        this.network = network;
        this.publicIpv4 = publicIpv4;
        this.type = type;
    }

    /**
     * Forgets every mapping and filter entry at once, as a NAT that reboots or runs out of table space does:
     * established flows die silently and new ones get new ports.
     *
     * @return this.
     */
    public SimNat flush()
    {
        mappingsByFlow.clear();
        mappingsByPort.clear();
        filterRefreshedNs.clear();
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public SimNetwork network()
    {
        return network;
    }

    /**
     * The public address.
     *
     * @return big-endian IPv4.
     */
    public int publicIpv4()
    {
        return publicIpv4;
    }

    /**
     * The behaviour.
     *
     * @return the type.
     */
    public SimNatType type()
    {
        return type;
    }

    /**
     * Turns hairpinning on or off (off by default).
     *
     * @param enabled whether a datagram from inside to the public address loops back in.
     * @return this.
     */
    public SimNat hairpinning(final boolean enabled)
    {
        this.hairpinning = enabled;
        return this;
    }

    /**
     * Sets how long filtering state lives without traffic.
     *
     * @param timeoutNs positive.
     * @return this.
     */
    public SimNat filterTimeout(final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("filter timeout must be positive: " + timeoutNs);
        }
        this.filterTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * Sets how long an idle mapping lives before its external port is forgotten: the next datagram on that
     * flow then gets a new random port. Never by default, as netsim.
     *
     * @param timeoutNs positive, or {@link #NO_TIMEOUT}.
     * @return this.
     */
    public SimNat mappingTimeout(final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("mapping timeout must be positive: " + timeoutNs);
        }
        this.mappingTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * Sets the probability of losing a datagram between two hosts behind this NAT.
     *
     * @param probability 0 to 1.
     * @return this.
     */
    public SimNat lossRate(final double probability)
    {
        this.lossRate = SimNetwork.checkProbability(probability);
        return this;
    }

    /**
     * The external port currently mapped for a flow, as netsim tests read {@code nat.map}.
     *
     * @param privateIpv4 the inside host's address.
     * @param privatePort the inside socket's port.
     * @param remote      the destination; ignored (and may be null) unless the NAT is symmetric.
     * @return the port, or -1 when none is mapped.
     */
    public int mappedPort(final int privateIpv4, final int privatePort, final Endpoint remote)
    {
        final int remoteIpv4 = null == remote ? 0 : remote.ipv4();
        final int remotePort = null == remote ? 0 : remote.port();
        final Mapping mapping = mappingsByFlow.get(flowKey(privateIpv4, privatePort, remoteIpv4, remotePort));
        return null == mapping ? -1 : mapping.externalPort;
    }

    /**
     * Mappings held, live or not.
     *
     * @return the count.
     */
    public int mappingCount()
    {
        return mappingsByPort.size();
    }

    /**
     * Filtering entries held, live or expired (netsim's {@code Object.keys(nat.firewall).length}).
     *
     * @return the count.
     */
    public int filterCount()
    {
        return filterRefreshedNs.size();
    }

    void route(final SimHost from, final int fromPort, final Endpoint destination, final byte[] datagram)
    {
        final int destinationIpv4 = destination.ipv4();
        if (null != host(destinationIpv4))
        {
            sendLocally(from.ipv4(), fromPort, destinationIpv4, destination.port(), datagram);
            return;
        }
        if (destinationIpv4 == publicIpv4 && !hairpinning)
        {
            network.counters().onDropped(SimDropReason.NO_ROUTE);
            return;
        }
        final long nowNs = network.now();
        final Mapping mapping = outboundMapping(from.ipv4(), fromPort, destinationIpv4, destination.port(), nowNs);
        if (null == mapping)
        {
            network.counters().onDropped(SimDropReason.NO_ROUTE);
            return;
        }
        mapping.lastUsedNs = nowNs;
        filterRefreshedNs.put(filterKey(mapping.externalPort, destinationIpv4, destination.port()), nowNs);
        network.sendOnInternet(publicIpv4, mapping.externalPort, destination, datagram);
    }

    /**
     * A datagram reached the public address from the internet: netsim delivers it to the inside host at once,
     * the internet hop having already cost its latency.
     */
    void receiveFromInternet(final int externalPort, final int sourceIpv4, final int sourcePort, final byte[] datagram)
    {
        final long nowNs = network.now();
        final Mapping mapping = mappingsByPort.get(externalPort);
        if (null == mapping || isExpired(mapping.lastUsedNs, mappingTimeoutNs, nowNs))
        {
            forget(mapping);
            network.counters().onDropped(SimDropReason.FILTERED);
            return;
        }
        final FlowKey filterKey = filterKey(externalPort, sourceIpv4, sourcePort);
        final Long refreshedNs = filterRefreshedNs.get(filterKey);
        if (null == refreshedNs || isExpired(refreshedNs, filterTimeoutNs, nowNs))
        {
            network.counters().onDropped(SimDropReason.FILTERED);
            return;
        }
        filterRefreshedNs.put(filterKey, nowNs);
        mapping.lastUsedNs = nowNs;

        final SimHost host = host(mapping.privateIpv4);
        if (null == host)
        {
            network.counters().onDropped(SimDropReason.NO_ROUTE);
            return;
        }
        host.receive(mapping.privatePort, sourceIpv4, sourcePort, datagram);
    }

    private void sendLocally(
        final int sourceIpv4, final int sourcePort, final int destinationIpv4, final int destinationPort,
        final byte[] datagram)
    {
        if (network.isLost(lossRate))
        {
            network.counters().onDropped(SimDropReason.LOSS);
            return;
        }
        network.scheduleAfter(
            network.hopLatencyNs(),
            () ->
            {
                // Whoever holds the address on arrival gets it: a host that moved away does not.
                final SimHost host = host(destinationIpv4);
                if (null == host)
                {
                    network.counters().onDropped(SimDropReason.NO_ROUTE);
                }
                else
                {
                    host.receive(destinationPort, sourceIpv4, sourcePort, datagram);
                }
            });
    }

    private Mapping outboundMapping(
        final int privateIpv4, final int privatePort, final int remoteIpv4, final int remotePort, final long nowNs)
    {
        final FlowKey key = flowKey(privateIpv4, privatePort, remoteIpv4, remotePort);
        final Mapping existing = mappingsByFlow.get(key);
        if (null != existing)
        {
            if (!isExpired(existing.lastUsedNs, mappingTimeoutNs, nowNs))
            {
                return existing;
            }
            forget(existing);
        }
        final int externalPort = freeExternalPort();
        if (externalPort < 0)
        {
            return null;
        }
        final Mapping mapping = new Mapping(key, externalPort, privateIpv4, privatePort, nowNs);
        mappingsByFlow.put(key, mapping);
        mappingsByPort.put(externalPort, mapping);
        return mapping;
    }

    private void forget(final Mapping mapping)
    {
        if (null != mapping)
        {
            mappingsByFlow.remove(mapping.flow);
            mappingsByPort.remove(mapping.externalPort);
        }
    }

    private int freeExternalPort()
    {
        final int range = MAX_EXTERNAL_PORT - MIN_EXTERNAL_PORT + 1;
        final int start = MIN_EXTERNAL_PORT + network.random().nextInt(range);
        if (!mappingsByPort.containsKey(start))
        {
            return start;
        }
        for (int i = 1; i < RANDOM_PORT_TRIES; i++)
        {
            final int port = MIN_EXTERNAL_PORT + network.random().nextInt(range);
            if (!mappingsByPort.containsKey(port))
            {
                return port;
            }
        }
        // Nearly full: a bounded scan rather than an unbounded lottery.
        for (int i = 0; i < range; i++)
        {
            final int port = MIN_EXTERNAL_PORT + (start - MIN_EXTERNAL_PORT + i) % range;
            if (!mappingsByPort.containsKey(port))
            {
                return port;
            }
        }
        return -1;
    }

    private FlowKey flowKey(final int privateIpv4, final int privatePort, final int remoteIpv4, final int remotePort)
    {
        return new FlowKey(
            pack(privateIpv4, privatePort), type.mapsPerDestination() ? pack(remoteIpv4, remotePort) : ANY);
    }

    private FlowKey filterKey(final int externalPort, final int remoteIpv4, final int remotePort)
    {
        switch (type)
        {
            case FULL_CONE:
                // Endpoint-independent filtering: the port is open to anyone while it is in use.
                return new FlowKey(externalPort, ANY);
            case PORT_RESTRICTED:
                return new FlowKey(externalPort, pack(remoteIpv4, remotePort));
            default:
                // netsim's DependentNat: a remote contacted from any socket may answer on any mapped port.
                return new FlowKey(ANY, pack(remoteIpv4, remotePort));
        }
    }

    private static boolean isExpired(final long refreshedNs, final long timeoutNs, final long nowNs)
    {
        return timeoutNs != NO_TIMEOUT && nowNs - refreshedNs > timeoutNs;
    }

    private static long pack(final int ipv4, final int port)
    {
        return ((ipv4 & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    private record FlowKey(long inside, long outside)
    {
    }

    private static final class Mapping
    {
        final FlowKey flow;
        final int externalPort;
        final int privateIpv4;
        final int privatePort;
        long lastUsedNs;

        Mapping(
            final FlowKey flow, final int externalPort, final int privateIpv4, final int privatePort,
            final long lastUsedNs)
        {
            this.flow = flow;
            this.externalPort = externalPort;
            this.privateIpv4 = privateIpv4;
            this.privatePort = privatePort;
            this.lastUsedNs = lastUsedNs;
        }
    }
}
