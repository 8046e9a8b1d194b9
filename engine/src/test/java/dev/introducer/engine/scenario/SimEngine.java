package dev.introducer.engine.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.EngineConfiguration;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.sim.SimApplication;
import dev.introducer.engine.sim.SimHost;
import dev.introducer.engine.sim.SimSocketContext;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * The engine core on a simulated host: the adapter between the simulator and {@link EngineCore}, and a recorder
 * of everything the core reports, for assertions.
 */
public final class SimEngine implements SimApplication, EngineHandler
{
    /** One connection as reported. */
    public record Connection(Id32 peer, PathType path, Strategy strategy, long timeToConnectNs, int probes,
        long atNs)
    {
    }

    private final String name;
    private final EngineConfiguration configuration;
    private final Map<Id32, Connection> connections = new LinkedHashMap<>();
    private final List<Connection> connectionEvents = new ArrayList<>();
    private final List<Id32> lost = new ArrayList<>();
    private final List<Id32> needsRelay = new ArrayList<>();
    private final List<ConnectFailure> failures = new ArrayList<>();
    private final List<NatReport> natReports = new ArrayList<>();
    private final Map<Id32, Integer> messagesFrom = new LinkedHashMap<>();
    private final List<Id32> joinsBeforeStart = new ArrayList<>();
    private SimSocketContext context;
    private SimHost host;
    private EngineCore core;

    /**
     * An engine that starts when its host starts.
     *
     * @param name          for messages.
     * @param configuration its settings.
     */
    public SimEngine(final String name, final EngineConfiguration configuration)
    {
        this.name = name;
        this.configuration = configuration;
    }

    void host(final SimHost host)
    {
        this.host = host;
    }

    /**
     * The simulated host.
     *
     * @return the host.
     */
    public SimHost host()
    {
        return host;
    }

    /**
     * {@inheritDoc}
     */
    public void onStart(final SimSocketContext context, final long nowNs)
    {
        this.context = context;
        core = new EngineCore(configuration, context, context, context.random(), this);
        core.start(nowNs);
        for (final Id32 swarmId : joinsBeforeStart)
        {
            core.join(nowNs, swarmId);
        }
        joinsBeforeStart.clear();
    }

    /**
     * {@inheritDoc}
     */
    public void onDatagram(
        final long nowNs, final int socketId, final Endpoint source, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        core.onDatagram(nowNs, socketId, source, buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public void onTimer(final long nowNs)
    {
        core.onTimer(nowNs);
    }

    /**
     * The core (null before the host started).
     *
     * @return the core.
     */
    public EngineCore core()
    {
        return core;
    }

    /**
     * Joins a swarm now (simulated time).
     *
     * @param swarmId the swarm.
     */
    public void join(final Id32 swarmId)
    {
        if (null == core)
        {
            joinsBeforeStart.add(swarmId);
            return;
        }
        core.join(context.nowNs(), swarmId);
    }

    /**
     * Asks the introducers for an introduction now.
     *
     * @param peerId the peer.
     */
    public void connect(final Id32 peerId)
    {
        core.connect(context.nowNs(), peerId);
    }

    /**
     * This engine's id.
     *
     * @return the id.
     */
    public Id32 id()
    {
        return configuration.localId();
    }

    /**
     * The NAT type discovered, unknown before.
     *
     * @return the type.
     */
    public NatType nat()
    {
        return null == core ? NatType.UNKNOWN : core.natReport().natType();
    }

    /**
     * Whether a peer is connected now.
     *
     * @param other the peer.
     * @return true if connected.
     */
    public boolean isConnectedTo(final SimEngine other)
    {
        final Peer peer = null == core ? null : core.peer(other.id());
        return null != peer && peer.isConnected();
    }

    /**
     * The last connection report for a peer.
     *
     * @param other the peer.
     * @return the report, or null.
     */
    public Connection connection(final SimEngine other)
    {
        return connections.get(other.id());
    }

    /**
     * Every connection report, in order.
     *
     * @return the reports.
     */
    public List<Connection> connectionEvents()
    {
        return connectionEvents;
    }

    /**
     * Peers reported lost.
     *
     * @return their ids.
     */
    public List<Id32> lost()
    {
        return lost;
    }

    /**
     * Peers reported as needing a relay.
     *
     * @return their ids.
     */
    public List<Id32> needsRelay()
    {
        return needsRelay;
    }

    /**
     * Connect failures reported.
     *
     * @return the reasons.
     */
    public List<ConnectFailure> failures()
    {
        return failures;
    }

    /**
     * NAT reports, in order.
     *
     * @return the reports.
     */
    public List<NatReport> natReports()
    {
        return natReports;
    }

    /**
     * Messages received from a peer.
     *
     * @param other the peer.
     * @return the count.
     */
    public int messagesFrom(final SimEngine other)
    {
        return messagesFrom.getOrDefault(other.id(), 0);
    }

    /**
     * Sends a small message to a peer.
     *
     * @param other   the peer.
     * @param payload the bytes.
     * @return the core's send result.
     */
    public int send(final SimEngine other, final DirectBuffer payload)
    {
        return core.send(other.id(), payload, 0, payload.capacity());
    }

    /**
     * {@inheritDoc}
     */
    public void onNatDiscovered(final NatReport report)
    {
        natReports.add(report);
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerConnected(
        final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
    {
        final Connection connection = new Connection(peer, path, strategy, timeToConnectNs, probes, context.nowNs());
        connections.put(peer, connection);
        connectionEvents.add(connection);
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerLost(final Id32 peer)
    {
        lost.add(peer);
    }

    /**
     * {@inheritDoc}
     */
    public void onNeedsRelay(final Id32 peer)
    {
        needsRelay.add(peer);
    }

    /**
     * {@inheritDoc}
     */
    public void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
    {
        failures.add(reason);
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
        messagesFrom.merge(peer, 1, Integer::sum);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return name;
    }
}
