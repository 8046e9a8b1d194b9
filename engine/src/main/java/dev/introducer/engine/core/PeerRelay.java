package dev.introducer.engine.core;

import java.util.random.RandomGenerator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCore;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;

/**
 * Peer relay: an engine that opted in relays {@code RELAY_DATA} between two peers of its swarms that cannot connect
 * to each other, with the relay node's own forwarding code ({@link RelayCore}) and token format.
 * <ul>
 *     <li>It relays only while its NAT is static or easy: then its public endpoint, as the introducers see it,
 *     is the endpoint every peer reaches it at, and the tokens name it.</li>
 *     <li>It has no fleet secret. It makes a random key of its own and gives it to its introducers in its pings
 *     ({@link PingFlyweight#PEER_RELAY}); an introducer signs this relay's tokens with it.</li>
 *     <li>Only a peer connected to us directly may bind a leg: the legs' datagrams arrive through the paths we
 *     punched (so our NAT's filtering lets them in), and our forwarded data leaves through them.</li>
 *     <li>The quota (per-session rates, sessions at most) is ours to set; hitting it is counted in
 *     {@link RelayCounters}.</li>
 * </ul>
 * The core's housekeeping deadline is kept here and folded into the engine's own schedule. The core reaches the
 * network through the engine's transport, except that it opens and closes no paths: each leg is a path of the
 * engine's to a connected peer, up while that peer is connected, whatever the relay sessions on it do.
 */
final class PeerRelay implements Scheduler, Transport
{
    private final EngineConfiguration configuration;
    private final Transport transport;
    private final RandomGenerator random;
    private final PeerTable peers;
    private final byte[] key = new byte[PingFlyweight.RELAY_KEY_LENGTH];
    private final Endpoint publicEndpoint = new Endpoint();
    private final RelayCounters idleCounters = new RelayCounters();
    private RelayCore core;
    private long deadlineNs = Long.MAX_VALUE;

    PeerRelay(final EngineConfiguration configuration, final Transport transport, final RandomGenerator random,
        final PeerTable peers)
    {
        this.configuration = configuration;
        this.transport = transport;
        this.random = random;
        this.peers = peers;
        random.nextBytes(key);
    }

    /**
     * Our NAT was classified: relay while it is static or easy, at the public endpoint the introducers saw. A new
     * public endpoint starts a new core: tokens name the old one, so its sessions are of no use any more.
     *
     * @return whether we relay now.
     */
    boolean onNatReport(final long nowNs, final NatReport report)
    {
        final boolean eligible = (report.natType() == NatType.STATIC || report.natType() == NatType.EASY) &&
            null != report.publicEndpoint() && !report.publicEndpoint().isNone();
        if (!eligible)
        {
            stop();
            return false;
        }
        if (null == core || !publicEndpoint.equals(report.publicEndpoint()))
        {
            stop();
            publicEndpoint.set(report.publicEndpoint());
            core = new RelayCore(new RelayConfiguration().publicEndpoint(publicEndpoint).secret(key)
                .sessionQuota(configuration.relaying().peerRelayPacketRate(), configuration.relaying().peerRelayByteRate())
                .maxSessions(configuration.relaying().peerRelayMaxSessions()), this, this, configuration.relaying().epochClock(),
                random);
            core.start(nowNs);
        }
        return true;
    }

    private void stop()
    {
        if (null != core)
        {
            // The sessions end with the core; their legs' paths belong to the engine and stay up.
            for (final RelayCounters.Type type : RelayCounters.Type.values())
            {
                idleCounters.add(type, core.counters().get(type));
            }
            core.close();
            core = null;
            deadlineNs = Long.MAX_VALUE;
        }
    }

    /**
     * Whether we relay now (opted in, and our NAT allows it).
     *
     * @return true while relaying.
     */
    boolean isActive()
    {
        return null != core;
    }

    /**
     * The key our tokens are signed with, for our pings to introducers.
     *
     * @return the key (do not modify).
     */
    byte[] key()
    {
        return key;
    }

    /**
     * A bind for a session at us: only from a peer connected to us directly.
     */
    void onBind(final long nowNs, final int socketId, final Endpoint source, final RelayBindFlyweight bind)
    {
        if (null == core)
        {
            idleCounters.increment(RelayCounters.Type.DROPPED_UNEXPECTED);
            return;
        }
        final Peer leg = peers.byEndpoint(source);
        if (null == leg || !leg.isConnected() || leg.path() == PathType.RELAY)
        {
            core.counters().increment(RelayCounters.Type.DROPPED_NOT_A_PEER);
            return;
        }
        core.onRelayBind(nowNs, socketId, source, bind);
    }

    /**
     * Data on a channel that is not one of our own relayed peers: forward it if it is a session of ours.
     *
     * @return false if we do not relay (the caller counts the drop).
     */
    boolean onData(
        final long nowNs, final Endpoint source, final MutableDirectBuffer buffer, final int offset, final int length,
        final int channelId)
    {
        if (null == core)
        {
            return false;
        }
        core.onRelayData(nowNs, source, buffer, offset, length, channelId);
        return true;
    }

    /**
     * The core's housekeeping, when due.
     */
    void onTimer(final long nowNs)
    {
        if (null != core && nowNs >= deadlineNs)
        {
            core.onTimer(nowNs);
        }
    }

    /**
     * When the core wants the timer next.
     *
     * @return the deadline, {@link Long#MAX_VALUE} for none.
     */
    long deadlineNs()
    {
        return deadlineNs;
    }

    /**
     * {@inheritDoc}
     */
    public void wakeAt(final long deadlineNs)
    {
        this.deadlineNs = deadlineNs;
    }

    /**
     * {@inheritDoc}
     */
    public boolean send(
        final int socketId, final Endpoint destination, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return transport.send(socketId, destination, buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public int openSocket()
    {
        return NO_SOCKET;
    }

    /**
     * {@inheritDoc}
     */
    public void closeSocket(final int socketId)
    {
    }

    /**
     * {@inheritDoc}
     */
    public Endpoint localEndpoint(final Endpoint into)
    {
        return transport.localEndpoint(into);
    }

    /**
     * Sessions we relay now.
     *
     * @return the count.
     */
    int sessionCount()
    {
        return null == core ? 0 : core.sessionCount();
    }

    /**
     * The relay counters: the running core's plus those of cores before it.
     *
     * @param type the counter.
     * @return its value.
     */
    long counter(final RelayCounters.Type type)
    {
        return idleCounters.get(type) + (null == core ? 0 : core.counters().get(type));
    }
}
