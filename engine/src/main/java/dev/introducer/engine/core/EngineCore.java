package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.random.RandomGenerator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
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
import dev.introducer.protocol.LocalFlyweight;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;

/**
 * The sans-IO core of a node, a peer or an introducer. It takes the time as an argument of every call and
 * reaches the world only through the injected {@link Transport} and {@link Scheduler}; it has no threads, reads
 * no clock and owns no socket, so the same code runs under the deterministic simulator and on Netty.
 * <p>
 * A router: each datagram is decoded once, then routed by role, then by frame type. An introducer's frames all go
 * to {@link IntroducerService}. A peer's go to its state machines: {@link PeerPaths} (pings, pongs, liveness),
 * {@link IntroducerLinks} (cookies, keepalives, joins), {@link Punching} (attempts, relay binds),
 * {@link NatDiscovery} and {@link PeerRelay}; data is delivered here, without a further hop.
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
    private final IntroducerLinks introducers;
    private final PeerPaths paths;
    private final Endpoint scratchEndpoint = new Endpoint();
    private final Endpoint scratchLan = new Endpoint();
    private final Endpoint localEndpoint = new Endpoint();
    private final ArrayList<Peer> candidates = new ArrayList<>();
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
        this.writer = new FrameWriter(transport, counters, configuration.localId(), configuration.restartEpoch());
        this.peers = new PeerTable(configuration.maxPeers());
        final PeerRelayKeys peerRelayKeys = configuration.introducer() ? new PeerRelayKeys() : null;
        this.introductions = new Introductions(writer, random, counters, configuration.introducer() ?
            new RelayOffers(configuration, writer, random, counters, swarms, peerRelayKeys) : null);
        this.punching = new Punching(configuration, transport, writer, counters, random, callbacks, peers);
        this.discovery = new NatDiscovery(configuration, writer, random, counters);
        this.introducerService = configuration.introducer() ?
            new IntroducerService(
                configuration, transport, writer, counters, peers, swarms, introductions, peerRelayKeys, random) :
            null;
        this.peerRelay = configuration.relaying().peerRelay() && !configuration.introducer() ?
            new PeerRelay(configuration, transport, random, peers) : null;
        this.introducers = new IntroducerLinks(configuration, transport, writer, counters, swarms);
        this.paths = new PeerPaths(
            configuration, transport, writer, counters, callbacks, peers, swarms, punching, discovery, introducers);
        punching.onDirectFailure((peer) -> introducers.askForIntroduction(peer.id(), IntroFlyweight.RELAY));
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
        if (type < 0)
        {
            counters.increment(EngineCounters.Type.DROPPED_MALFORMED);
            return;
        }
        if (null != introducerService)
        {
            introducerService.onFrame(nowNs, socketId, source, type, decoder);
        }
        else if (!onPeerFrame(nowNs, socketId, source, buffer, offset, length, type))
        {
            return;
        }
        reschedule(nowNs);
    }

    /**
     * The peer role's dispatch.
     *
     * @return whether deadlines may have moved: false on the data path, which only delivers.
     */
    private boolean onPeerFrame(
        final long nowNs, final int socketId, final Endpoint source, final MutableDirectBuffer buffer,
        final int offset, final int length, final int type)
    {
        switch (type)
        {
            case MessageType.DATA:
                onData(nowNs, socketId, source, decoder.data());
                return false;
            case MessageType.RELAY_DATA:
                onRelayData(nowNs, source, buffer, offset, length, decoder.relayData());
                return false;
            case MessageType.PING:
                paths.onPing(nowNs, socketId, source, decoder.ping());
                return true;
            case MessageType.PONG:
                onPong(nowNs, socketId, source, decoder.ping());
                return true;
            case MessageType.PROBE_REPLY:
                discovery.onProbeReply(nowNs, decoder.probe().nonce(), decoder.probe().flags());
                return true;
            case MessageType.JOIN:
                counters.increment(EngineCounters.Type.JOINS_RECEIVED);
                onJoin(source, decoder.join());
                return true;
            case MessageType.LEAVE:
                swarms.onLeave(peers.byEndpoint(source), decoder.leave());
                return true;
            case MessageType.CONNECT:
                onConnect(nowNs, source, decoder.connect());
                return true;
            case MessageType.ERROR:
                onError(decoder.error());
                return true;
            case MessageType.LOCAL:
                onLocal(nowNs, decoder.local());
                return true;
            case MessageType.RELAY_OFFER:
                onRelayOffer(nowNs, source, decoder.relayBind());
                return true;
            case MessageType.RELAY_BIND:
                if (null == peerRelay)
                {
                    counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                    return false;
                }
                peerRelay.onBind(nowNs, socketId, source, decoder.relayBind());
                return true;
            case MessageType.RELAY_BIND_ACK:
                punching.onRelayAck(nowNs, decoder.relayBindAck().sessionId(), decoder.relayBindAck().status(),
                    decoder.relayBindAck().legs(), decoder.relayBindAck().channelId());
                return true;
            default:
                // PROBE, INTRO, RELAY, STUN: an introducer's frames.
                counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                return true;
        }
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
            introducers.join(nowNs, swarm);
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
        introducers.leave(swarm);
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
        introducers.askForIntroduction(peerId, 0);
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
        return introducers.cookie(index);
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
        return introducers.record(index);
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
            paths.markConnectedPathsStale();
        }
        introducers.pingAll(nowNs);
        introducers.joinAll(nowNs);
        for (final Peer peer : peers.snapshot())
        {
            final PendingConnect pending = peer.pendingConnect();
            if (pending.isPending())
            {
                startAttempt(nowNs, peer, pending.tokens().first(), pending.flags(), null);
                if (null != peer.attempt())
                {
                    peer.attempt().addTokens(pending.tokens());
                }
                pending.clear();
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
            introducerService.prune(nowNs, configuration.keepaliveNs());
            return;
        }
        transport.localEndpoint(scratchLan);
        if (!scratchLan.equals(localEndpoint) && !discovery.isRunning())
        {
            rediscover(nowNs);
        }
        introducers.keepAlive(nowNs);
        paths.tick(nowNs);
        if (!discovery.isRunning())
        {
            introducers.joinWhereFewMembers(nowNs);
        }
    }

    private void onWakeUp(final long nowNs)
    {
        rediscover(nowNs);
        paths.pingConnected(nowNs);
    }

    private void onPong(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight pong)
    {
        final int index = socketId == Transport.MAIN_SOCKET ? introducers.indexOf(source) : -1;
        if (index < 0)
        {
            paths.onPong(nowNs, socketId, source, pong);
            return;
        }
        final Endpoint observed = introducers.onPong(nowNs, index, source, pong);
        if (discovery.isRunning())
        {
            discovery.onPong(nowNs, index, observed);
        }
        else
        {
            final Endpoint known = discovery.observed(index);
            if (!known.isNone() && !known.equals(observed))
            {
                // Our mapping towards this introducer changed (rebinding, expiry): classify again.
                rediscover(nowNs);
            }
        }
    }

    private void onConnect(final long nowNs, final Endpoint source, final ConnectFlyweight connect)
    {
        final Peer from = peers.byEndpoint(source);
        final boolean trusted = introducers.indexOf(source) >= 0 || (null != from && from.isConnected());
        if (!trusted)
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
            peer.pendingConnect().add(token, flags, nowNs);
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
            null != introducer ? introducer : introducers.first());
    }

    /**
     * A member's join reaching us, a member too: we introduce it to our connected members of the swarm
     * (peer-assisted introduction).
     */
    private void onJoin(final Endpoint source, final JoinFlyweight join)
    {
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

    private void onRelayOffer(final long nowNs, final Endpoint source, final RelayBindFlyweight offer)
    {
        if (introducers.indexOf(source) < 0 ||
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
            !peer.relayBindings().carries(data.channelId(), source))
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
            paths.confirmStrayPath(nowNs, peer);
        }
        peer.heardFrom(nowNs);
        counters.increment(EngineCounters.Type.MESSAGES_RECEIVED);
        callbacks.message(peer.id(), data.buffer(), data.payloadOffset(), data.payloadLength());
    }
}
