package dev.introducer.engine.core;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.IntroFlyweight;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;

/**
 * The peer side's paths to other peers: who may ping us (authentication by endpoint or token), what a ping or pong
 * does to an attempt or a connected path (success, NAT rebinding, a stale pool probe, a restart), the confirmation
 * of our path when the other side talks to a losing spray socket, and the per-peer tick: keepalives, relay
 * refreshes, re-punching a silent path, trying direct while relayed, pending CONNECTs that timed out, and
 * forgetting peers that went silent.
 */
final class PeerPaths
{
    /** The send time {@code heardFrom} is given for a pong, which carries none of the peer's clock. */
    private static final long NOT_A_PING = Long.MIN_VALUE;

    private final EngineConfiguration configuration;
    private final Transport transport;
    private final FrameWriter writer;
    private final EngineCounters counters;
    private final Callbacks callbacks;
    private final PeerTable peers;
    private final SwarmTable swarms;
    private final Punching punching;
    private final NatDiscovery discovery;
    private final IntroducerLinks introducers;
    private final long keepaliveNs;

    PeerPaths(
        final EngineConfiguration configuration, final Transport transport, final FrameWriter writer,
        final EngineCounters counters, final Callbacks callbacks, final PeerTable peers, final SwarmTable swarms,
        final Punching punching, final NatDiscovery discovery, final IntroducerLinks introducers)
    {
        this.configuration = configuration;
        this.transport = transport;
        this.writer = writer;
        this.counters = counters;
        this.callbacks = callbacks;
        this.peers = peers;
        this.swarms = swarms;
        this.punching = punching;
        this.discovery = discovery;
        this.introducers = introducers;
        this.keepaliveNs = configuration.keepaliveNs();
    }

    void onPing(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight ping)
    {
        if (configuration.localId().equalsAt(ping.buffer(), ping.senderIdOffset()))
        {
            return;
        }
        final Peer peer = authenticate(source, ping.senderId(), ping.token());
        if (null == peer)
        {
            return;
        }
        final ConnectAttempt attempt = peer.attempt();
        if (peer.isConnected() && null == attempt && socketId != peer.socketId() && peer.endpoint().equals(source))
        {
            // A probe on a losing spray socket: our answer would make the other side settle where we will not.
            confirmStrayPath(nowNs, peer);
            return;
        }
        if (attempt instanceof HardSideSpray && !((HardSideSpray)attempt).ownsSocket(socketId))
        {
            // A probe on a socket outside this spray's pool: our answer would leave through a mapping the other
            // side did not open.
            return;
        }
        writer.pong(socketId, source, ping.token(), ping.echo(), source);
        heardFrom(nowNs, peer, socketId, source, ping.nat(), ping.restartEpoch(), ping.token(), ping.echo());
    }

    /**
     * A pong from a peer (an introducer's pongs go to {@link IntroducerLinks#onPong}).
     */
    void onPong(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight pong)
    {
        final Peer peer = authenticate(source, pong.senderId(), pong.token());
        if (null == peer)
        {
            return;
        }
        if (pong.echo() > 0 && pong.echo() <= nowNs)
        {
            peer.rttSample(nowNs - pong.echo());
        }
        if (peer.isConnected() && null == peer.attempt() && socketId != peer.socketId() &&
            peer.endpoint().equals(source))
        {
            // The other side answered a probe of a losing spray socket: it may have settled on that one.
            confirmStrayPath(nowNs, peer);
        }
        heardFrom(nowNs, peer, socketId, source, pong.nat(), pong.restartEpoch(), pong.token(), NOT_A_PING);
    }

    /**
     * The peer a ping or pong is from, if it may talk to us: sent from the endpoint we know it at, or carrying a
     * token of its session or attempt. Anything else is a stranger's probe or a hijack attempt: counted, ignored.
     */
    private Peer authenticate(final Endpoint source, final Id32 senderId, final long token)
    {
        final Peer peer = peers.get(senderId);
        if (null != peer && ((peer.isConnected() && peer.endpoint().equals(source)) || peer.acceptsToken(token)))
        {
            return peer;
        }
        counters.increment(EngineCounters.Type.DROPPED_UNKNOWN_TOKEN);
        return null;
    }

    /**
     * A datagram from a connected peer reached one of our sockets that its path does not use: a losing spray
     * socket still lingering, so the other side may have settled on a port we did not. Confirm our path again
     * from its socket (a ping with the session token, newer than any the other side has read), at most once per
     * direct retry interval.
     */
    void confirmStrayPath(final long nowNs, final Peer peer)
    {
        if (peer.socketId() == Transport.MAIN_SOCKET || peer.path() != PathType.DIRECT ||
            (peer.lastStrayConfirmNs() != Long.MIN_VALUE &&
            nowNs - peer.lastStrayConfirmNs() < configuration.directRetryMinNs()))
        {
            return;
        }
        peer.lastStrayConfirmNs(nowNs);
        writer.ping(peer.socketId(), peer.endpoint(), peer.sessionToken(), nowNs);
        peer.sentTo(nowNs);
        counters.increment(EngineCounters.Type.STRAY_PATH_CONFIRMS);
    }

    /**
     * @param sentNs a ping's send time on the peer's clock (its echo field), or {@link #NOT_A_PING} for a pong.
     */
    private void heardFrom(
        final long nowNs, final Peer peer, final int socketId, final Endpoint source, final int natCode,
        final long restartEpoch, final long token, final long sentNs)
    {
        peer.heardFrom(nowNs);
        peer.nat(NatType.fromCode(natCode));
        if (peer.updateRestartEpoch(restartEpoch))
        {
            counters.increment(EngineCounters.Type.RESTARTS_SEEN);
            peer.pathStale(true);
            peer.forgetPingTimes();
        }
        final boolean isPing = sentNs != NOT_A_PING;
        final boolean newestPing = isPing && sentNs > peer.newestPingSentNs();
        if (isPing)
        {
            peer.pingSent(sentNs);
        }
        if (null != peer.attempt() && peer.attempt().acceptsToken(token))
        {
            punching.onConnected(nowNs, peer, socketId, source);
        }
        else if (isPing && peer.isConnected() && !peer.endpoint().equals(source) && peer.acceptsToken(token) &&
            !newestPing)
        {
            // Sent no later than a ping we already read: one of a spray round's pool probes that arrived after the
            // winner's confirmation (reordered, or read later from another of our sockets). The other side is not
            // there: keep the path.
            counters.increment(EngineCounters.Type.STALE_PATH_PINGS);
        }
        else if (isPing && peer.isConnected() && !peer.endpoint().equals(source) && peer.acceptsToken(token))
        {
            // NAT rebinding, or the hard side's confirmation from its winner: the session's token in a ping from a
            // new endpoint, sent after every ping we read before. Adopt it. Only pings: a pong answers one of our
            // probes, and a late answer from a losing spray port must not move the path.
            counters.increment(EngineCounters.Type.REBINDINGS);
            transport.pathDown(peer.socketId(), peer.endpoint());
            punching.releasePeerSocket(peer, socketId);
            peers.setEndpoint(peer, source, socketId);
            transport.pathUp(socketId, source);
            peer.pathStale(false);
        }
        else if (peer.isConnected() && peer.endpoint().equals(source))
        {
            peer.pathStale(false);
        }
    }

    /**
     * Our public endpoint moved: a working path may be gone, so a new introduction may replace it.
     */
    void markConnectedPathsStale()
    {
        for (final Peer peer : peers.all())
        {
            if (peer.isConnected() && !peer.isIntroducer())
            {
                peer.pathStale(true);
            }
        }
    }

    /**
     * After a sleep (a clock jump): ping every connected peer at once, so that the paths that survived say so.
     */
    void pingConnected(final long nowNs)
    {
        for (final Peer peer : peers.all())
        {
            if (peer.isConnected())
            {
                writer.ping(peer.socketId(), peer.endpoint(), peer.sessionToken(), nowNs);
                peer.sentTo(nowNs);
            }
        }
    }

    /**
     * The housekeeping of every peer (introducers have their own, {@link IntroducerLinks#keepAlive}).
     */
    void tick(final long nowNs)
    {
        for (final Peer peer : peers.snapshot())
        {
            if (!peer.isIntroducer())
            {
                tick(nowNs, peer);
            }
        }
    }

    private void tick(final long nowNs, final Peer peer)
    {
        final Peer.Liveness liveness = peer.liveness(nowNs, keepaliveNs);
        if (peer.isConnected())
        {
            if (liveness == Peer.Liveness.FORGET)
            {
                forget(peer, true);
                return;
            }
            if (peer.path() == PathType.RELAY)
            {
                // A relayed path is kept by refreshing our leg; the relay's answer says whether the other leg is
                // still there, which is the peer's liveness.
                if (nowNs - peer.lastSentNs() >= keepaliveNs)
                {
                    punching.relayPath().refresh(peer);
                    peer.sentTo(nowNs);
                }
                tryDirect(nowNs, peer);
                return;
            }
            if (nowNs - peer.lastSentNs() >= keepaliveNs)
            {
                writer.ping(peer.socketId(), peer.endpoint(), peer.sessionToken(), nowNs);
                peer.sentTo(nowNs);
            }
            if (!peer.pathStale() && nowNs - peer.lastReceivedNs() > (long)(Peer.SILENT_AFTER * keepaliveNs))
            {
                // Two keepalives went unanswered: the NAT dropped the mapping or the peer moved. Ask for a
                // fresh introduction; the old path stays until a new one works.
                peer.pathStale(true);
                counters.increment(EngineCounters.Type.REPUNCHES);
                introducers.askForIntroduction(peer.id(), IntroFlyweight.RENEW);
            }
        }
        else if (null == peer.attempt() && liveness == Peer.Liveness.FORGET)
        {
            forget(peer, false);
        }
        else if (peer.pendingConnect().isPending() &&
            nowNs - peer.pendingConnect().sinceNs() > configuration.connectTimeoutNs())
        {
            peer.pendingConnect().clear();
            counters.increment(EngineCounters.Type.PUNCH_FAILURES);
            callbacks.connectFailed(peer.id(), Strategy.DIRECT, ConnectFailure.NAT_UNKNOWN);
        }
    }

    /**
     * While relayed, keep trying direct: a pair that is not hard ↔ hard came to the relay through a punch that
     * failed, and a later one may succeed (a NAT's state, a lost probe, a spray's luck). A new introduction with
     * {@code RENEW} starts a punch beside the relayed path, which stays until the punch succeeds.
     */
    private void tryDirect(final long nowNs, final Peer peer)
    {
        final long intervalNs = configuration.relaying().relayUpgradeIntervalNs();
        if (intervalNs > 0 && null == peer.attempt() && nowNs - peer.relayBindings().upgradeTriedNs() >= intervalNs &&
            !(discovery.report().natType() == NatType.HARD && peer.nat() == NatType.HARD))
        {
            peer.relayBindings().upgradeTriedNs(nowNs);
            counters.increment(EngineCounters.Type.RELAY_UPGRADE_ATTEMPTS);
            introducers.askForIntroduction(peer.id(), IntroFlyweight.RENEW);
        }
    }

    private void forget(final Peer peer, final boolean wasConnected)
    {
        if (peer.isConnected())
        {
            transport.pathDown(peer.socketId(), peer.endpoint());
        }
        punching.cancel(peer);
        punching.forgetRelaySessions(peer);
        punching.releasePeerSocket(peer, Transport.MAIN_SOCKET);
        swarms.removePeer(peer);
        peers.remove(peer);
        peer.disconnected();
        if (wasConnected)
        {
            counters.increment(EngineCounters.Type.PEERS_LOST);
            callbacks.peerLost(peer.id());
        }
    }
}
