package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;

/**
 * Runs the connect attempts: picks the strategy for a NAT pair, starts the attempt, drives it on timer calls,
 * and turns the first authenticated answer into a connection.
 * <pre>
 *   us \ them   static    easy          hard            unknown
 *   static      DIRECT    DIRECT        DIRECT          DIRECT
 *   easy        DIRECT    DIRECT        SPRAY_EASY_SIDE DIRECT
 *   hard        DIRECT    SPRAY_HARD    RELAY           SPRAY_HARD
 *   same public address: LOCAL (LAN endpoints); NEEDS_RELAY from the introducer: RELAY
 * </pre>
 */
final class Punching
{
    private final EngineConfiguration configuration;
    private final Transport transport;
    private final FrameWriter writer;
    private final EngineCounters counters;
    private final RandomGenerator random;
    private final Callbacks callbacks;
    private final PeerTable peers;
    private final SocketBudget budget;
    private final ArrayList<ConnectAttempt> attempts = new ArrayList<>();
    private final IntSupplier easySprayRate = this::easySprayRate;
    private final java.util.function.ToIntFunction<Endpoint> socketTowards = this::socketTowards;
    private final org.agrona.collections.Long2ObjectHashMap<RelayAttempt> relayAttempts =
        new org.agrona.collections.Long2ObjectHashMap<>();
    private final org.agrona.collections.Long2ObjectHashMap<Peer> relaySessionPeers =
        new org.agrona.collections.Long2ObjectHashMap<>();
    private final RelayPath relayPath;
    private java.util.function.Consumer<Peer> directFailureHandler = (peer) -> { };
    private int activeEasySprays;

    Punching(
        final EngineConfiguration configuration, final Transport transport, final FrameWriter writer,
        final EngineCounters counters, final RandomGenerator random, final Callbacks callbacks,
        final PeerTable peers)
    {
        this.configuration = configuration;
        this.transport = transport;
        this.writer = writer;
        this.counters = counters;
        this.random = random;
        this.callbacks = callbacks;
        this.peers = peers;
        this.budget = new SocketBudget(configuration.socketBudget());
        this.relayPath = new RelayPath(peers, transport, writer, socketTowards);
    }

    /**
     * The relayed peers' paths over their relay sessions.
     */
    RelayPath relayPath()
    {
        return relayPath;
    }

    private int easySprayRate()
    {
        final int share = configuration.sprayTotalProbeRate() / Math.max(1, activeEasySprays);
        return Math.max(1, Math.min(configuration.sprayProbeRate(), share));
    }

    /**
     * The strategy for a pair.
     */
    static Strategy choose(final NatType self, final NatType other, final int flags, final boolean samePublicAddress)
    {
        if ((flags & ConnectFlyweight.SAME_NAT) != 0 || samePublicAddress)
        {
            return Strategy.LOCAL;
        }
        if ((flags & ConnectFlyweight.NEEDS_RELAY) != 0 || (self == NatType.HARD && other == NatType.HARD))
        {
            return Strategy.RELAY;
        }
        if (self == NatType.STATIC || other == NatType.STATIC)
        {
            return Strategy.DIRECT;
        }
        if (self == NatType.HARD)
        {
            return Strategy.SPRAY_HARD_SIDE;
        }
        if (other == NatType.HARD)
        {
            return Strategy.SPRAY_EASY_SIDE;
        }
        return Strategy.DIRECT;
    }

    /**
     * Starts an attempt for a peer whose CONNECT arrived.
     *
     * @param nowNs        the time.
     * @param peer         the target, with its NAT and endpoints filled from the CONNECT.
     * @param token        the introduction token.
     * @param flags        the CONNECT's flags.
     * @param self         our NAT type.
     * @param ourPublic    our public endpoint, or null.
     * @param ourLan       our LAN endpoint.
     * @param introducer   where the CONNECT came from (for a LAN endpoint we still need to send).
     */
    void start(
        final long nowNs, final Peer peer, final long token, final int flags, final NatType self,
        final Endpoint ourPublic, final Endpoint ourLan, final Endpoint introducer)
    {
        final boolean samePublicAddress = null != ourPublic && !peer.publicEndpoint().isNone() &&
            ourPublic.sameAddress(peer.publicEndpoint()) && !ourPublic.equals(ourLan);
        final Strategy strategy = choose(self, peer.nat(), flags, samePublicAddress);
        final long deadlineNs = nowNs + configuration.connectTimeoutNs();
        final ConnectAttempt attempt;
        switch (strategy)
        {
            case RELAY:
                if (!peer.needsRelay())
                {
                    peer.needsRelay(true);
                    counters.increment(EngineCounters.Type.NEEDS_RELAY);
                    callbacks.needsRelay(peer.id());
                }
                return;

            case LOCAL:
                if (peer.lanEndpoint().isNone() && null != introducer)
                {
                    writer.relayLocal(introducer, peer.id(), token, ourLan);
                }
                attempt = new DirectAttempt(peer, Strategy.LOCAL, token, nowNs, deadlineNs, peer.lanEndpoint(),
                    writer, configuration);
                break;

            case SPRAY_EASY_SIDE:
                attempt = new EasySideSpray(peer, token, nowNs, deadlineNs, peer.publicEndpoint(), writer, counters,
                    configuration, random, easySprayRate);
                activeEasySprays++;
                break;

            case SPRAY_HARD_SIDE:
            {
                final int poolSize = Math.min(configuration.sprayPoolSize(), budget.available());
                final HardSideSpray spray = poolSize < configuration.sprayPoolMin() ? null : new HardSideSpray(
                    peer, token, nowNs, deadlineNs, peer.publicEndpoint(), poolSize, writer, transport, budget,
                    counters, configuration);
                if (null == spray || spray.socketCount() < configuration.sprayPoolMin())
                {
                    if (null != spray)
                    {
                        spray.close();
                    }
                    counters.increment(EngineCounters.Type.SPRAY_BUDGET_EXHAUSTED);
                    counters.increment(EngineCounters.Type.PUNCH_FAILURES);
                    callbacks.connectFailed(peer.id(), strategy, ConnectFailure.SOCKET_BUDGET_EXHAUSTED);
                    return;
                }
                attempt = spray;
                break;
            }

            default:
                attempt = new DirectAttempt(peer, Strategy.DIRECT, token, nowNs, deadlineNs, peer.publicEndpoint(),
                    writer, configuration);
                break;
        }
        counters.increment(EngineCounters.Type.PUNCH_ATTEMPTS);
        peer.attempt(attempt);
        attempts.add(attempt);
        attempt.nextDueNs = attempt.onTimer(nowNs);
    }

    /**
     * Who hears of a direct attempt that timed out (the core asks the introducers for a relay).
     */
    void onDirectFailure(final java.util.function.Consumer<Peer> handler)
    {
        this.directFailureHandler = handler;
    }

    /**
     * Starts binding to a relay for a peer, from an introducer's offer. Replaces a direct attempt still running:
     * the introducer decided the pair needs the relay.
     *
     * @param nowNs     the time.
     * @param peer      the other peer.
     * @param relay     the relay's endpoint.
     * @param bind      the offer's bytes, which are the bind to send.
     * @param sessionId the relay session.
     */
    void startRelay(final long nowNs, final Peer peer, final Endpoint relay, final byte[] bind, final long sessionId)
    {
        final ConnectAttempt existing = peer.attempt();
        final RelayAttempt attempt;
        if (existing instanceof RelayAttempt)
        {
            attempt = (RelayAttempt)existing;
        }
        else
        {
            if (null != existing)
            {
                cancel(peer);
            }
            attempt = new RelayAttempt(peer, nowNs, nowNs + configuration.connectTimeoutNs(), writer, socketTowards,
                configuration);
            counters.increment(EngineCounters.Type.PUNCH_ATTEMPTS);
            peer.attempt(attempt);
            attempts.add(attempt);
        }
        if (attempt.addSession(relay, bind, sessionId, nowNs))
        {
            relayAttempts.put(sessionId, attempt);
            relaySessionPeers.put(sessionId, peer);
            attempt.nextDueNs = attempt.onTimer(nowNs);
        }
    }

    /**
     * The relay answered a bind.
     *
     * @return the peer of the session if the answer concerns one of ours, else null.
     */
    Peer onRelayAck(final long nowNs, final long sessionId, final int status, final int legs, final int channel)
    {
        final RelayAttempt attempt = relayAttempts.get(sessionId);
        if (null == attempt)
        {
            final Peer peer = relaySessionPeers.get(sessionId);
            if (null != peer && peer.isConnected() && peer.path() == PathType.RELAY &&
                relayPath.onAck(nowNs, peer, sessionId, status, legs, channel))
            {
                counters.increment(EngineCounters.Type.RELAY_SESSION_SWITCHES);
            }
            return peer;
        }
        final Peer peer = attempt.peer;
        if (status != 0)
        {
            relayAttempts.remove(sessionId);
            if (attempt.sessionCount() == 1)
            {
                cancel(peer);
                counters.increment(EngineCounters.Type.PUNCH_FAILURES);
                callbacks.connectFailed(peer.id(), Strategy.RELAY, ConnectFailure.RELAY_REFUSED);
            }
            return peer;
        }
        final int index = attempt.indexOf(sessionId);
        attempt.channel(index, channel);
        if (legs < 2)
        {
            return peer;
        }
        for (int i = 0; i < attempt.sessionCount(); i++)
        {
            relayAttempts.remove(attempt.sessionId(i));
        }
        if (peer.isConnected())
        {
            transport.pathDown(peer.socketId(), peer.endpoint());
        }
        releasePeerSocket(peer, Transport.MAIN_SOCKET);
        relayPath.connect(peer, attempt, index);
        attempt.onConnected(nowNs, Transport.MAIN_SOCKET);
        peer.attempt(null);
        peer.connected(PathType.RELAY, Strategy.RELAY, attempt);
        peer.relayBindings().upgradeTriedNs(nowNs);
        peer.heardFrom(nowNs);
        counters.increment(EngineCounters.Type.PUNCH_SUCCESSES);
        callbacks.peerConnected(peer.id(), PathType.RELAY, Strategy.RELAY, nowNs - attempt.startNs, attempt.probes);
        return peer;
    }

    /**
     * A peer's LAN endpoint arrived through an introducer (LOCAL): aim its local attempt there.
     */
    void onLanEndpoint(final long nowNs, final Peer peer, final Endpoint lan)
    {
        peer.lanEndpoint().set(lan);
        final ConnectAttempt attempt = peer.attempt();
        if (attempt instanceof DirectAttempt && attempt.strategy == Strategy.LOCAL)
        {
            ((DirectAttempt)attempt).retarget(lan, nowNs);
            attempt.nextDueNs = nowNs;
        }
    }

    /**
     * An authenticated ping or pong from the peer arrived while an attempt runs: it connected.
     *
     * @param nowNs    the time.
     * @param peer     the peer.
     * @param socketId the socket it arrived on (the winner of a hard-side pool).
     * @param source   where it came from: where we send from now on.
     */
    void onConnected(final long nowNs, final Peer peer, final int socketId, final Endpoint source)
    {
        final ConnectAttempt attempt = peer.attempt();
        if (null == attempt)
        {
            return;
        }
        if (attempt instanceof HardSideSpray && !((HardSideSpray)attempt).ownsSocket(socketId))
        {
            // The hard side settles only on a pool socket: a probe that reached another socket came through a
            // mapping made for someone else, and our answers from that socket leave on a port the easy side
            // never opened.
            return;
        }
        if (peer.isConnected())
        {
            if (peer.path() == PathType.RELAY)
            {
                // Kept trying direct while relayed, and it worked: the relay session expires unrefreshed.
                counters.increment(EngineCounters.Type.RELAY_UPGRADES);
            }
            transport.pathDown(peer.socketId(), peer.endpoint());
        }
        releasePeerSocket(peer, socketId);
        peers.setEndpoint(peer, source, socketId);
        transport.pathUp(socketId, source);
        if (socketId != Transport.MAIN_SOCKET)
        {
            for (final ConnectAttempt other : attempts)
            {
                if (other != attempt && other instanceof HardSideSpray)
                {
                    ((HardSideSpray)other).disown(socketId);
                }
            }
        }
        attempt.onConnected(nowNs, socketId);
        peer.attempt(null);
        peer.connected(attempt.strategy == Strategy.LOCAL ? PathType.LOCAL : PathType.DIRECT, attempt.strategy,
            attempt);
        peer.needsRelay(false);
        if (attempt.strategy == Strategy.SPRAY_EASY_SIDE)
        {
            activeEasySprays--;
        }
        // Confirm from the socket we settled on. With a birthday spray several of the hard side's ports can be hit
        // at once and the easy side may have settled on a losing one; a ping from the winner carries the session
        // token, so the other side adopts this endpoint (as a rebinding) whatever it picked.
        writer.ping(socketId, source, attempt.token(), nowNs);
        peer.sentTo(nowNs);
        counters.increment(EngineCounters.Type.PUNCH_SUCCESSES);
        callbacks.peerConnected(peer.id(), peer.path(), attempt.strategy, nowNs - attempt.startNs, attempt.probes);
        attempt.nextDueNs = nowNs;
    }

    /**
     * Closes the spray socket a peer used, unless it is the one it keeps using.
     */
    void releasePeerSocket(final Peer peer, final int keepSocketId)
    {
        if (peer.relayChannel() != 0)
        {
            // A relayed peer borrows the socket of our path to the relay (a peer relay's spray winner): not ours.
            peer.socketId(Transport.MAIN_SOCKET);
            return;
        }
        final int old = peer.socketId();
        if (old != Transport.MAIN_SOCKET && old != keepSocketId)
        {
            transport.closeSocket(old);
            budget.release(1);
            peer.socketId(Transport.MAIN_SOCKET);
        }
    }

    /**
     * The socket our datagrams to a relay leave from: that of our direct path to it when the relay is a peer we
     * are connected to (a peer relay), else the main socket (a relay node).
     */
    int socketTowards(final Endpoint relay)
    {
        final Peer via = peers.byEndpoint(relay);
        return null != via && via.isConnected() && via.path() != PathType.RELAY ? via.socketId() :
            Transport.MAIN_SOCKET;
    }

    /**
     * Forgets the relay sessions offered for a peer that is gone.
     */
    void forgetRelaySessions(final Peer peer)
    {
        final org.agrona.collections.Long2ObjectHashMap<Peer>.ValueIterator iterator =
            relaySessionPeers.values().iterator();
        while (iterator.hasNext())
        {
            if (iterator.next() == peer)
            {
                iterator.remove();
            }
        }
    }

    /**
     * Ends a peer's attempt without a result (the peer is forgotten or the engine closes).
     */
    void cancel(final Peer peer)
    {
        final ConnectAttempt attempt = peer.attempt();
        if (null != attempt)
        {
            finish(attempt);
            attempts.remove(attempt);
            peer.attempt(null);
        }
    }

    private void finish(final ConnectAttempt attempt)
    {
        if (attempt instanceof RelayAttempt)
        {
            final RelayAttempt relayAttempt = (RelayAttempt)attempt;
            for (int i = 0; i < relayAttempt.sessionCount(); i++)
            {
                relayAttempts.remove(relayAttempt.sessionId(i));
            }
        }
        if (attempt.strategy == Strategy.SPRAY_EASY_SIDE && !attempt.isConnected())
        {
            activeEasySprays--;
        }
        attempt.close();
    }

    long onTimer(final long nowNs)
    {
        long next = ConnectAttempt.NO_DEADLINE;
        for (int i = attempts.size() - 1; i >= 0; i--)
        {
            final ConnectAttempt attempt = attempts.get(i);
            if (!attempt.isConnected() && nowNs >= attempt.deadlineNs)
            {
                attempts.remove(i);
                finish(attempt);
                attempt.peer.attempt(null);
                if (attempt.peer.isConnected() && attempt.peer.path() == PathType.RELAY)
                {
                    // A try for a direct path beside a working relayed one: nothing failed for the application.
                    counters.increment(EngineCounters.Type.RELAY_UPGRADE_FAILURES);
                    continue;
                }
                counters.increment(EngineCounters.Type.PUNCH_FAILURES);
                callbacks.connectFailed(attempt.peer.id(), attempt.strategy, ConnectFailure.TIMEOUT);
                if (attempt.strategy != Strategy.RELAY)
                {
                    directFailureHandler.accept(attempt.peer);
                }
                continue;
            }
            if (nowNs >= attempt.nextDueNs)
            {
                attempt.nextDueNs = attempt.onTimer(nowNs);
            }
            if (attempt.isDone())
            {
                attempts.remove(i);
                continue;
            }
            next = Math.min(next, attempt.isConnected() ? attempt.nextDueNs :
                Math.min(attempt.nextDueNs, attempt.deadlineNs));
        }
        return next;
    }

    int activeAttempts()
    {
        return attempts.size();
    }

    int socketsInUse()
    {
        return budget.inUse();
    }

    void close()
    {
        for (final ConnectAttempt attempt : attempts)
        {
            finish(attempt);
            attempt.peer.attempt(null);
        }
        attempts.clear();
    }
}
