package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.host.TransportHandler;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.DataFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.ErrorFlyweight;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.IntroFlyweight;
import dev.introducer.protocol.JoinFlyweight;
import dev.introducer.protocol.LeaveFlyweight;
import dev.introducer.protocol.LocalFlyweight;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.ProbeFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;
import dev.introducer.protocol.RelayFlyweight;

/**
 * The sans-IO core of a node: a peer, an introducer, or both. It takes the time as an argument of every call and
 * reaches the world only through the injected {@link Transport} and {@link Scheduler}; it has no threads, reads
 * no clock and owns no socket, so the same code runs under the deterministic simulator and on Netty.
 * <p>
 * Single-threaded: the host calls it from one thread (the engine's thread), and the listener is called back on
 * that thread.
 */
public final class EngineCore implements TransportHandler
{
    /** {@link #send} result: handed to the network. */
    public static final int SEND_OK = 0;
    /** {@link #send} result: no such peer. */
    public static final int SEND_UNKNOWN_PEER = -1;
    /** {@link #send} result: the peer is known but not connected. */
    public static final int SEND_NOT_CONNECTED = -2;
    /** {@link #send} result: the payload is larger than a datagram can carry. */
    public static final int SEND_TOO_LARGE = -3;
    /** {@link #send} result: the transport refused it (back-pressure); UDP may drop, so may we. */
    public static final int SEND_FAILED = -4;
    /** The send time {@code heardFrom} is given for a pong, which carries none of the peer's clock. */
    private static final long NOT_A_PING = Long.MIN_VALUE;

    private final EngineConfiguration configuration;
    private final Transport transport;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Callbacks callbacks;
    private final EngineCounters counters = new EngineCounters();
    private final FrameWriter writer;
    private final FrameDecoder decoder = new FrameDecoder();
    private final PeerTable peers;
    private final SwarmTable swarms = new SwarmTable();
    private final Introductions introductions;
    private final Punching punching;
    private final NatDiscovery discovery;
    private final IntroducerService introducerService;
    private final PeerRelay peerRelay;
    private final Peer[] introducerPeers;
    private final long[] introducerCookies;
    private final Endpoint scratchEndpoint = new Endpoint();
    private final Endpoint scratchLan = new Endpoint();
    private final Endpoint localEndpoint = new Endpoint();
    private final ArrayList<Peer> candidates = new ArrayList<>();
    private final long keepaliveNs;
    private long lastTickNs;
    private long nextTickNs;
    private long scheduledNs = Long.MAX_VALUE;
    private boolean started;
    private boolean closed;

    /**
     * A core.
     *
     * @param configuration the settings; {@link EngineConfiguration#conclude()} is called here.
     * @param transport     the way out.
     * @param scheduler     the timer.
     * @param random        randomness for tokens, ports and shuffles (seeded in tests, secure in production).
     * @param listener      what to report to.
     */
    public EngineCore(
        final EngineConfiguration configuration, final Transport transport, final Scheduler scheduler,
        final RandomGenerator random, final EngineHandler listener)
    {
        this.configuration = configuration.conclude();
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.callbacks = new Callbacks(
            listener, configuration.attemptObserver(), configuration.errorHandler(), counters);
        this.keepaliveNs = configuration.keepaliveNs();
        this.writer = new FrameWriter(transport, counters, configuration.localId(), configuration.restartEpoch());
        this.peers = new PeerTable(configuration.maxPeers());
        this.introductions = new Introductions(writer, random, counters, configuration.introducer() ?
            new RelayOffers(configuration, writer, random, counters, swarms) : null);
        this.punching = new Punching(configuration, transport, writer, counters, random, callbacks, peers);
        this.discovery = new NatDiscovery(configuration, writer, random, counters);
        this.introducerService = configuration.introducer() ?
            new IntroducerService(configuration, transport, writer, counters, peers, swarms, introductions, random) :
            null;
        this.peerRelay = configuration.peerRelay() && !configuration.introducer() ?
            new PeerRelay(configuration, transport, random, peers) : null;
        this.introducerPeers = new Peer[configuration.introducers().size()];
        this.introducerCookies = new long[configuration.introducers().size()];
        punching.onDirectFailure(this::askForRelay);
    }

    /**
     * Starts: an introducer opens its probe socket; a peer starts NAT discovery.
     *
     * @param nowNs the time.
     */
    public void start(final long nowNs)
    {
        if (started)
        {
            return;
        }
        started = true;
        lastTickNs = nowNs;
        nextTickNs = nowNs;
        transport.localEndpoint(localEndpoint);
        if (null != introducerService)
        {
            writer.nat(NatType.STATIC);
            introducerService.start();
        }
        else
        {
            discovery.start(nowNs, localEndpoint);
        }
        onTimer(nowNs);
    }

    /**
     * A datagram arrived on one of our sockets.
     *
     * @param nowNs    the receive time.
     * @param socketId the socket.
     * @param source   the sender's endpoint (copied if kept).
     * @param buffer   holding the datagram.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     */
    public void onDatagram(
        final long nowNs, final int socketId, final Endpoint source, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        if (closed)
        {
            return;
        }
        counters.increment(EngineCounters.Type.DATAGRAMS_RECEIVED);
        counters.add(EngineCounters.Type.BYTES_RECEIVED, length);
        final int type = decoder.decode(buffer, offset, length);
        switch (type)
        {
            case MessageType.DATA:
                onData(nowNs, socketId, source, decoder.data());
                return;
            case MessageType.PING:
                onPing(nowNs, socketId, source, decoder.ping());
                break;
            case MessageType.PONG:
                onPong(nowNs, socketId, source, decoder.ping());
                break;
            case MessageType.PROBE:
                if (null != introducerService)
                {
                    introducerService.onProbe(socketId, source, decoder.probe());
                }
                else
                {
                    counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                }
                break;
            case MessageType.PROBE_REPLY:
                discovery.onProbeReply(nowNs, decoder.probe().nonce(), decoder.probe().flags());
                break;
            case MessageType.JOIN:
                onJoin(nowNs, socketId, source, decoder.join());
                break;
            case MessageType.LEAVE:
                onLeave(source, decoder.leave());
                break;
            case MessageType.INTRO:
                onIntro(nowNs, socketId, source, decoder.intro());
                break;
            case MessageType.CONNECT:
                onConnect(nowNs, source, decoder.connect());
                break;
            case MessageType.ERROR:
                onError(decoder.error());
                break;
            case MessageType.RELAY:
                onRelay(source, decoder.relay());
                break;
            case MessageType.LOCAL:
                onLocal(nowNs, decoder.local());
                break;
            case MessageType.RELAY_DATA:
                onRelayData(nowNs, source, buffer, offset, length, decoder.relayData());
                return;
            case MessageType.RELAY_OFFER:
                onRelayOffer(nowNs, source, decoder.relayBind());
                break;
            case MessageType.RELAY_BIND:
                if (null == peerRelay)
                {
                    counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                    return;
                }
                peerRelay.onBind(nowNs, socketId, source, decoder.relayBind());
                break;
            case MessageType.RELAY_BIND_ACK:
                punching.onRelayAck(nowNs, decoder.relayBindAck().sessionId(), decoder.relayBindAck().status(),
                    decoder.relayBindAck().legs(), decoder.relayBindAck().channelId());
                break;
            case MessageType.STUN:
                if (null == introducerService || !introducerService.onStun(socketId, source, decoder.stun()))
                {
                    counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                }
                break;
            default:
                counters.increment(type < 0 ?
                    EngineCounters.Type.DROPPED_MALFORMED : EngineCounters.Type.DROPPED_UNEXPECTED);
                return;
        }
        reschedule(nowNs);
    }

    /**
     * The scheduler's call: runs whatever is due.
     *
     * @param nowNs the time.
     */
    public void onTimer(final long nowNs)
    {
        if (closed || !started)
        {
            return;
        }
        scheduledNs = Long.MAX_VALUE;
        if (nowNs >= nextTickNs)
        {
            tick(nowNs);
            nextTickNs = nowNs + configuration.tickIntervalNs();
        }
        reschedule(nowNs);
    }

    /**
     * Joins a swarm: asks the introducers (and connected members) for introductions, now if the NAT is known,
     * else as soon as it is.
     *
     * @param nowNs   the time.
     * @param swarmId the swarm.
     */
    public void join(final long nowNs, final Id32 swarmId)
    {
        final Swarm swarm = swarms.getOrCreate(swarmId);
        swarm.joined(true);
        if (null == introducerService && started && !discovery.isRunning())
        {
            // Otherwise the join leaves when discovery finishes: the introducer needs our NAT type.
            sendJoin(nowNs, swarm);
        }
        reschedule(nowNs);
    }

    /**
     * Leaves a swarm: tells the introducers and connected members. Connections stay up.
     *
     * @param nowNs   the time.
     * @param swarmId the swarm.
     */
    public void leave(final long nowNs, final Id32 swarmId)
    {
        final Swarm swarm = swarms.get(swarmId);
        if (null == swarm || !swarm.joined())
        {
            return;
        }
        swarm.joined(false);
        for (int i = 0; i < introducerCookies.length; i++)
        {
            writer.leave(configuration.introducers().get(i), swarmId, introducerCookies[i]);
        }
        for (final Peer member : swarm.members())
        {
            if (member.isConnected())
            {
                writer.leave(member.endpoint(), swarmId, 0);
            }
        }
        reschedule(nowNs);
    }

    /**
     * Asks the introducers to introduce us to a peer they know.
     *
     * @param nowNs  the time.
     * @param peerId the peer.
     */
    public void connect(final long nowNs, final Id32 peerId)
    {
        introToAll(peerId, 0);
        reschedule(nowNs);
    }

    /**
     * The return-routability cookie the introducer {@code index} gave us in its last pong: our joins and intros
     * carry it, and an introducer accepts them only with the cookie it made for our address.
     *
     * @param index the introducer, in configuration order.
     * @return the cookie, 0 before its first pong.
     */
    public long introducerCookie(final int index)
    {
        return introducerCookies[index];
    }

    private void introToAll(final Id32 target, final int flags)
    {
        for (int i = 0; i < introducerCookies.length; i++)
        {
            writer.intro(configuration.introducers().get(i), target, null, introducerCookies[i], flags);
        }
    }

    /**
     * Sends application data to a connected peer.
     *
     * @param peerId the peer.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link #SEND_OK} or a negative {@code SEND_*} code.
     */
    public int send(final Id32 peerId, final DirectBuffer buffer, final int offset, final int length)
    {
        final Peer peer = peers.get(peerId);
        if (null == peer)
        {
            return SEND_UNKNOWN_PEER;
        }
        return send(peer, buffer, offset, length);
    }

    /**
     * Sends application data to a connected peer, without a map lookup.
     *
     * @param peer   the peer.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link #SEND_OK} or a negative {@code SEND_*} code.
     */
    public int send(final Peer peer, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!peer.isConnected())
        {
            return SEND_NOT_CONNECTED;
        }
        if (length > FrameWriter.maxDataPayload())
        {
            return SEND_TOO_LARGE;
        }
        final boolean sent = peer.path() == PathType.RELAY ?
            writer.relayData(peer.socketId(), peer.endpoint(), peer.relayChannel(), buffer, offset, length) :
            writer.data(peer.socketId(), peer.endpoint(), buffer, offset, length);
        if (!sent)
        {
            return SEND_FAILED;
        }
        counters.increment(EngineCounters.Type.MESSAGES_SENT);
        return SEND_OK;
    }

    /**
     * The result of the last NAT discovery.
     *
     * @return the report (natType unknown until discovery finished).
     */
    public NatReport natReport()
    {
        return null != introducerService ? new NatReport(NatType.STATIC, NatReport.Mapping.UNKNOWN,
            NatReport.Filtering.UNKNOWN, localEndpoint.copy(), localEndpoint.copy(), 0) : discovery.report();
    }

    /**
     * A peer by id.
     *
     * @param peerId the id.
     * @return the peer, or null.
     */
    public Peer peer(final Id32 peerId)
    {
        return peers.get(peerId);
    }

    /**
     * All peers known to this node (introducers included).
     *
     * @return the peers; do not keep the iterable across calls into the core.
     */
    public Iterable<Peer> peers()
    {
        return peers.all();
    }

    /**
     * What we know of a configured introducer.
     *
     * @param index the introducer, in configuration order.
     * @return its record, or null before its first pong.
     */
    public Peer introducer(final int index)
    {
        return introducerPeers[index];
    }

    /**
     * What one introducer saw of us in the current or the last NAT discovery run: our public endpoint towards
     * it, so that a tool can tell which introducer said what. Call on the engine's thread.
     *
     * @param index the introducer, in configuration order.
     * @return a copy of the endpoint it observed; none if it has not answered.
     */
    public Endpoint observedBy(final int index)
    {
        return discovery.observed(index).copy();
    }

    /**
     * A swarm by id.
     *
     * @param swarmId the id.
     * @return the swarm, or null.
     */
    public Swarm swarm(final Id32 swarmId)
    {
        return swarms.get(swarmId);
    }

    /**
     * The counters.
     *
     * @return the counters.
     */
    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * Whether we relay for our swarms now: opted in ({@link EngineConfiguration#peerRelay(boolean)}) and our NAT is
     * static or easy.
     *
     * @return true while relaying.
     */
    public boolean isPeerRelayActive()
    {
        return null != peerRelay && peerRelay.isActive();
    }

    /**
     * A counter of the sessions we relay for our swarms (forwarded, quota hits, refused binds, ...).
     *
     * @param type the counter.
     * @return its value, 0 when we never relayed.
     */
    public long peerRelayCounter(final RelayCounters.Type type)
    {
        return null == peerRelay ? 0 : peerRelay.counter(type);
    }

    /**
     * Sessions we relay for our swarms now.
     *
     * @return the count.
     */
    public int peerRelaySessions()
    {
        return null == peerRelay ? 0 : peerRelay.sessionCount();
    }

    /**
     * Connect attempts in progress (sprays still closing their losers included).
     *
     * @return the count.
     */
    public int activeAttempts()
    {
        return punching.activeAttempts();
    }

    /**
     * Spray sockets open now (pools and kept winners).
     *
     * @return the count.
     */
    public int spraySocketsInUse()
    {
        return punching.socketsInUse();
    }

    /**
     * This node's id.
     *
     * @return the id.
     */
    public Id32 localId()
    {
        return configuration.localId();
    }

    /**
     * Closes every spray socket and stops; later calls do nothing.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        punching.close();
        for (final Peer peer : peers.snapshot())
        {
            punching.releasePeerSocket(peer, Transport.MAIN_SOCKET);
        }
        if (null != introducerService)
        {
            introducerService.close();
        }
        closed = true;
    }

    private void reschedule(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        long next = nextTickNs;
        if (discovery.isRunning())
        {
            next = Math.min(next, discovery.onTimer(nowNs));
        }
        onDiscoveryProgress(nowNs);
        next = Math.min(next, punching.onTimer(nowNs));
        if (null != peerRelay)
        {
            peerRelay.onTimer(nowNs);
            next = Math.min(next, peerRelay.deadlineNs());
        }
        if (next < scheduledNs || scheduledNs <= nowNs)
        {
            scheduledNs = next;
            scheduler.wakeAt(next);
        }
    }

    private void onDiscoveryProgress(final long nowNs)
    {
        if (!discovery.takeFinished())
        {
            return;
        }
        final NatReport report = discovery.report();
        final boolean changed = discovery.takeReportChanged();
        writer.nat(report.natType());
        if (null != peerRelay)
        {
            // Our introducer pings, sent just below, tell whether we relay now, and with which key.
            writer.peerRelayKey(peerRelay.onNatReport(nowNs, report) ? peerRelay.key() : null);
        }
        if (changed)
        {
            callbacks.natDiscovered(report);
            for (final Peer peer : peers.all())
            {
                if (peer.isConnected() && !peer.isIntroducer())
                {
                    // Our public endpoint moved: a working path may be gone, so a new introduction may replace it.
                    peer.pathStale(true);
                }
            }
        }
        for (int i = 0; i < introducerCookies.length; i++)
        {
            // With the introducer's cookie: it registers us (we proved we receive at our address).
            writer.introducerPing(configuration.introducers().get(i), introducerCookies[i], nowNs);
        }
        for (final Swarm swarm : swarms.all())
        {
            if (swarm.joined())
            {
                sendJoin(nowNs, swarm);
            }
        }
        for (final Peer peer : peers.snapshot())
        {
            if (peer.hasPendingConnect())
            {
                final long token = peer.firstPendingToken();
                final int flags = peer.pendingConnectFlags();
                startAttempt(nowNs, peer, token, flags, null);
                if (null != peer.attempt())
                {
                    peer.drainPendingTokens(peer.attempt());
                }
                else
                {
                    peer.clearPendingConnect();
                }
            }
        }
    }

    private void rediscover(final long nowNs)
    {
        if (null == introducerService)
        {
            transport.localEndpoint(localEndpoint);
            discovery.start(nowNs, localEndpoint);
        }
    }

    private void tick(final long nowNs)
    {
        if (nowNs - lastTickNs > configuration.clockJumpThresholdNs())
        {
            onWakeUp(nowNs);
        }
        lastTickNs = nowNs;
        if (null != introducerService)
        {
            introducerService.prune(nowNs, keepaliveNs);
            return;
        }
        transport.localEndpoint(scratchLan);
        if (!scratchLan.equals(localEndpoint) && !discovery.isRunning())
        {
            rediscover(nowNs);
        }
        keepIntroducersAlive(nowNs);
        for (final Peer peer : peers.snapshot())
        {
            if (!peer.isIntroducer())
            {
                tickPeer(nowNs, peer);
            }
        }
        for (final Swarm swarm : swarms.all())
        {
            if (swarm.joined() && swarm.connectedMembers() < configuration.introductionsWanted() &&
                nowNs - swarm.lastJoinSentNs() >= keepaliveNs && !discovery.isRunning())
            {
                sendJoin(nowNs, swarm);
            }
        }
    }

    private void keepIntroducersAlive(final long nowNs)
    {
        final List<Endpoint> introducers = configuration.introducers();
        for (int i = 0; i < introducers.size(); i++)
        {
            final Peer introducer = introducerPeers[i];
            if (null == introducer || nowNs - introducer.lastSentNs() >= keepaliveNs)
            {
                writer.introducerPing(introducers.get(i), introducerCookies[i], nowNs);
                if (null != introducer)
                {
                    introducer.sentTo(nowNs);
                }
            }
        }
    }

    private void tickPeer(final long nowNs, final Peer peer)
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
                introToAll(peer.id(), IntroFlyweight.RENEW);
            }
        }
        else if (null == peer.attempt() && liveness == Peer.Liveness.FORGET)
        {
            forget(peer, false);
        }
        else if (peer.hasPendingConnect() &&
            nowNs - peer.pendingConnectSinceNs() > configuration.connectTimeoutNs())
        {
            peer.clearPendingConnect();
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
        final long intervalNs = configuration.relayUpgradeIntervalNs();
        if (intervalNs > 0 && null == peer.attempt() && nowNs - peer.relayUpgradeTriedNs() >= intervalNs &&
            !(discovery.report().natType() == NatType.HARD && peer.nat() == NatType.HARD))
        {
            peer.relayUpgradeTriedNs(nowNs);
            counters.increment(EngineCounters.Type.RELAY_UPGRADE_ATTEMPTS);
            introToAll(peer.id(), IntroFlyweight.RENEW);
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

    private void onWakeUp(final long nowNs)
    {
        rediscover(nowNs);
        for (final Peer peer : peers.all())
        {
            if (peer.isConnected())
            {
                writer.ping(peer.socketId(), peer.endpoint(), peer.sessionToken(), nowNs);
                peer.sentTo(nowNs);
            }
        }
    }

    private void sendJoin(final long nowNs, final Swarm swarm)
    {
        swarm.lastJoinSentNs(nowNs);
        final int current = swarm.connectedMembers();
        transport.localEndpoint(scratchLan);
        for (int i = 0; i < introducerCookies.length; i++)
        {
            writer.join(configuration.introducers().get(i), swarm.id(), configuration.introductionsWanted(), current,
                introducerCookies[i], scratchLan);
        }
        if (current > 0)
        {
            // Members answer joins too: they introduce us to their own members (peer-assisted introduction).
            for (final Peer member : swarm.members())
            {
                if (member.isConnected())
                {
                    writer.join(member.endpoint(), swarm.id(), configuration.introductionsWanted(), current, 0,
                        scratchLan);
                }
            }
        }
    }

    private int introducerIndex(final Endpoint source)
    {
        final List<Endpoint> introducers = configuration.introducers();
        for (int i = 0; i < introducers.size(); i++)
        {
            if (introducers.get(i).equals(source))
            {
                return i;
            }
        }
        return -1;
    }

    private void onPing(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight ping)
    {
        if (configuration.localId().equalsAt(ping.buffer(), ping.senderIdOffset()))
        {
            return;
        }
        if (null != introducerService)
        {
            introducerService.onPing(nowNs, socketId, source, ping);
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

    private void onPong(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight pong)
    {
        final int introducerIndex = socketId == Transport.MAIN_SOCKET ? introducerIndex(source) : -1;
        if (introducerIndex >= 0)
        {
            onIntroducerPong(nowNs, introducerIndex, source, pong);
            return;
        }
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
    private void confirmStrayPath(final long nowNs, final Peer peer)
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

    private void onIntroducerPong(final long nowNs, final int index, final Endpoint source, final PingFlyweight pong)
    {
        introducerCookies[index] = pong.token();
        Peer introducer = introducerPeers[index];
        final Id32 senderId = pong.senderId();
        if (null == introducer || !introducer.id().equals(senderId))
        {
            // One record per configured address, outside the peer table: two addresses of one node share an id
            // but not a restart epoch, and one shared record saw a "restart" at every pong and rejoined each time.
            introducer = new Peer(senderId, nowNs);
            introducer.introducer(true);
            introducer.sentTo(nowNs);
            introducer.endpoint().set(source);
            introducerPeers[index] = introducer;
        }
        introducer.heardFrom(nowNs);
        introducer.nat(NatType.STATIC);
        pong.readObserved(scratchEndpoint);
        if (introducer.updateRestartEpoch(pong.restartEpoch()))
        {
            // The introducer restarted and forgot us: join again at once (the seed's rejoin on restart).
            counters.increment(EngineCounters.Type.RESTARTS_SEEN);
            for (final Swarm swarm : swarms.all())
            {
                if (swarm.joined())
                {
                    sendJoin(nowNs, swarm);
                }
            }
        }
        if (discovery.isRunning())
        {
            discovery.onPong(nowNs, index, scratchEndpoint);
        }
        else
        {
            final Endpoint known = discovery.observed(index);
            if (!known.isNone() && !known.equals(scratchEndpoint))
            {
                // Our mapping towards this introducer changed (rebinding, expiry): classify again.
                rediscover(nowNs);
            }
        }
    }

    private void onConnect(final long nowNs, final Endpoint source, final ConnectFlyweight connect)
    {
        final Peer from = peers.byEndpoint(source);
        final boolean trusted = introducerIndex(source) >= 0 || (null != from && from.isConnected());
        if (!trusted || null != introducerService)
        {
            counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            return;
        }
        final Id32 targetId = connect.targetId();
        if (targetId.equals(configuration.localId()))
        {
            return;
        }
        final Peer peer = peers.getOrCreate(targetId, nowNs);
        if (null == peer)
        {
            counters.increment(EngineCounters.Type.DROPPED_PEER_TABLE_FULL);
            return;
        }
        final Id32 swarmId = connect.swarmId();
        if (!swarmId.isZero())
        {
            final Swarm swarm = swarms.getOrCreate(swarmId);
            swarm.add(peer);
            swarm.knownMembersHint(connect.swarmPeers());
        }
        peer.nat(NatType.fromCode(connect.targetNat()));
        connect.readTargetPublic(scratchEndpoint);
        final boolean moved = peer.isConnected() && peer.path() == PathType.DIRECT &&
            !peer.endpoint().sameAddress(scratchEndpoint);
        peer.publicEndpoint().set(scratchEndpoint);
        connect.readTargetLan(scratchLan);
        if (!scratchLan.isNone())
        {
            peer.lanEndpoint().set(scratchLan);
        }
        final boolean restarted = peer.updateRestartEpoch(connect.targetRestartEpoch());
        final long token = connect.token();
        final int flags = connect.flags();
        if (peer.isConnected() && !(peer.pathStale() || restarted || moved ||
            (flags & ConnectFlyweight.RENEW) != 0))
        {
            // A working path is never reset by a later introduction (the seed's bug 5).
            counters.increment(EngineCounters.Type.DUPLICATE_CONNECTS);
            return;
        }
        if (null != peer.attempt())
        {
            peer.attempt().addToken(token);
            counters.increment(EngineCounters.Type.DUPLICATE_CONNECTS);
            return;
        }
        if (discovery.isRunning() || (discovery.report().natType() == NatType.UNKNOWN &&
            discovery.report().introducersAnswered() == 0))
        {
            peer.pendingConnect(token, flags, nowNs);
            return;
        }
        startAttempt(nowNs, peer, token, flags, source);
    }

    private void startAttempt(final long nowNs, final Peer peer, final long token, final int flags,
        final Endpoint introducer)
    {
        transport.localEndpoint(scratchLan);
        final NatReport report = discovery.report();
        punching.start(nowNs, peer, token, flags, report.natType(), report.publicEndpoint(), scratchLan,
            null != introducer ? introducer : configuration.introducers().get(0));
    }

    private void onJoin(final long nowNs, final int socketId, final Endpoint source, final JoinFlyweight join)
    {
        counters.increment(EngineCounters.Type.JOINS_RECEIVED);
        if (null != introducerService)
        {
            introducerService.onJoin(nowNs, socketId, source, join);
            return;
        }
        final Peer joiner = peers.byEndpoint(source);
        final Swarm swarm = swarms.get(join.swarmId());
        if (null == joiner || !joiner.isConnected() || null == swarm || !swarm.joined())
        {
            counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            return;
        }
        swarm.add(joiner);
        candidates.clear();
        for (final Peer member : swarm.members())
        {
            if (member != joiner && member.isConnected())
            {
                candidates.add(member);
            }
        }
        introductions.introduce(joiner, candidates, join.wanted(), swarm.id());
        candidates.clear();
    }

    private void onLeave(final Endpoint source, final LeaveFlyweight leave)
    {
        final Peer peer = peers.byEndpoint(source);
        final Swarm swarm = swarms.get(leave.swarmId());
        if (null != peer && null != swarm && peer.id().equals(leave.senderId()))
        {
            swarm.remove(peer);
        }
    }

    private void onIntro(final long nowNs, final int socketId, final Endpoint source, final IntroFlyweight intro)
    {
        if (null != introducerService)
        {
            introducerService.onIntro(nowNs, socketId, source, intro);
        }
        else
        {
            counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
        }
    }

    private void onError(final ErrorFlyweight error)
    {
        if (error.code() == ErrorCode.SWARM_EMPTY)
        {
            final Swarm swarm = swarms.get(error.subjectId());
            if (null != swarm)
            {
                swarm.knownMembersHint((int)Math.min(Integer.MAX_VALUE, error.detail()));
            }
        }
    }

    private void onRelay(final Endpoint source, final RelayFlyweight relay)
    {
        if (null != introducerService)
        {
            introducerService.onRelay(source, relay);
        }
        else
        {
            counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
        }
    }

    private void onLocal(final long nowNs, final LocalFlyweight local)
    {
        final Peer peer = peers.get(local.senderId());
        if (null == peer || !peer.acceptsToken(local.token()))
        {
            counters.increment(EngineCounters.Type.DROPPED_UNKNOWN_TOKEN);
            return;
        }
        local.readLan(scratchLan);
        punching.onLanEndpoint(nowNs, peer, scratchLan);
    }

    private void askForRelay(final Peer peer)
    {
        introToAll(peer.id(), IntroFlyweight.RELAY);
    }

    private void onRelayOffer(final long nowNs, final Endpoint source, final RelayBindFlyweight offer)
    {
        if (null != introducerService || introducerIndex(source) < 0 ||
            !configuration.localId().equalsAt(offer.buffer(), offer.senderIdOffset()))
        {
            counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            return;
        }
        final Peer peer = peers.getOrCreate(offer.otherPeerId(), nowNs);
        if (null == peer)
        {
            counters.increment(EngineCounters.Type.DROPPED_PEER_TABLE_FULL);
            return;
        }
        if (peer.isConnected() && !peer.pathStale())
        {
            counters.increment(EngineCounters.Type.DUPLICATE_CONNECTS);
            return;
        }
        final byte[] bind = new byte[RelayBindFlyweight.LENGTH];
        offer.buffer().getBytes(offer.offset(), bind);
        offer.readRelayEndpoint(scratchEndpoint);
        punching.startRelay(nowNs, peer, scratchEndpoint, bind, offer.sessionId());
    }

    private void onRelayData(
        final long nowNs, final Endpoint source, final MutableDirectBuffer buffer, final int offset, final int length,
        final RelayDataFlyweight data)
    {
        final Peer peer = peers.byRelayChannel(data.channelId());
        if (null == peer || !peer.isConnected() || peer.path() != PathType.RELAY ||
            !peer.relaySessions().carries(data.channelId(), source))
        {
            // Not for us: a session we relay for two others, or a stranger's.
            if (null == peerRelay || !peerRelay.onData(nowNs, source, buffer, offset, length, data.channelId()))
            {
                counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            }
            return;
        }
        peer.heardFrom(nowNs);
        counters.increment(EngineCounters.Type.MESSAGES_RECEIVED);
        callbacks.message(peer.id(), data.buffer(), data.payloadOffset(), data.payloadLength());
    }

    private void onData(final long nowNs, final int socketId, final Endpoint source, final DataFlyweight data)
    {
        final Peer peer = peers.byEndpoint(source);
        if (null == peer || !peer.isConnected())
        {
            counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            return;
        }
        if (socketId != peer.socketId())
        {
            // The other side sends to a losing spray socket of ours: it settled on the wrong port.
            confirmStrayPath(nowNs, peer);
        }
        peer.heardFrom(nowNs);
        counters.increment(EngineCounters.Type.MESSAGES_RECEIVED);
        callbacks.message(peer.id(), data.buffer(), data.payloadOffset(), data.payloadLength());
    }
}
