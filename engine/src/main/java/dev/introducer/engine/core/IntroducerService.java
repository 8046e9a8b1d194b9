package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.random.RandomGenerator;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.IntroFlyweight;
import dev.introducer.protocol.JoinFlyweight;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.ProbeFlyweight;
import dev.introducer.protocol.RelayFlyweight;
import dev.introducer.protocol.stun.StunBindingResponder;
import dev.introducer.protocol.stun.StunMessageFlyweight;

/**
 * The introducer role: a node with a static address that answers pings with the observed endpoint, answers
 * filtering probes from a second socket, records peers and swarm membership from joins, pairs joiners with
 * random members, introduces on request, forwards LAN endpoints between peers behind one NAT, answers STUN
 * Binding requests, and forgets peers that went silent.
 * <p>
 * Nothing it sends is larger than what it answers, except CONNECTs and ERRORs to peers that joined: those go to
 * the joiner's observed endpoint, at most {@code wanted} of them per join.
 */
final class IntroducerService
{
    /** Introductions one join can ask for at most: bounds what a single datagram can make us send. */
    static final int MAX_INTRODUCTIONS_PER_JOIN = 16;

    private final EngineConfiguration configuration;
    private final Transport transport;
    private final FrameWriter writer;
    private final EngineCounters counters;
    private final PeerTable peers;
    private final SwarmTable swarms;
    private final Introductions introductions;
    private final PeerRelayKeys peerRelayKeys;
    private final StunBindingResponder stunResponder = new StunBindingResponder();
    private final UnsafeBuffer stunBuffer = new UnsafeBuffer(new byte[StunBindingResponder.MAX_RESPONSE_LENGTH]);
    private final ArrayList<Peer> candidates = new ArrayList<>();
    private final Endpoint scratch = new Endpoint();
    private final byte[] relayKey = new byte[PingFlyweight.RELAY_KEY_LENGTH];
    private final long cookieSecret;
    private int probeSocket = Transport.NO_SOCKET;

    IntroducerService(
        final EngineConfiguration configuration, final Transport transport, final FrameWriter writer,
        final EngineCounters counters, final PeerTable peers, final SwarmTable swarms,
        final Introductions introductions, final PeerRelayKeys peerRelayKeys, final RandomGenerator random)
    {
        this.configuration = configuration;
        this.transport = transport;
        this.writer = writer;
        this.counters = counters;
        this.peers = peers;
        this.swarms = swarms;
        this.introductions = introductions;
        this.peerRelayKeys = peerRelayKeys;
        this.cookieSecret = random.nextLong();
    }

    void start()
    {
        // A second socket, on another port, answers filtering probes: only a NAT with open filtering lets its
        // answer in, since the peer never sent to that port.
        probeSocket = transport.openSocket();
    }

    void close()
    {
        if (probeSocket != Transport.NO_SOCKET)
        {
            transport.closeSocket(probeSocket);
            probeSocket = Transport.NO_SOCKET;
        }
    }

    /**
     * A cookie for an endpoint, echoed in pongs: a peer that sends it back proves it receives at that endpoint.
     */
    long cookie(final Endpoint endpoint)
    {
        long h = cookieSecret ^ endpoint.addressHigh() * 0x9E3779B97F4A7C15L;
        h ^= endpoint.addressLow() + 0xBF58476D1CE4E5B9L + (h << 6) + (h >>> 2);
        h ^= ((long)endpoint.port() << 32) | endpoint.family();
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * The introducer's whole dispatch: every frame a datagram to an introducer can carry. Frames only a peer
     * serves (data, connects, relay offers and binds, probe replies, errors, ...) are counted and dropped.
     *
     * @param type    the frame's type, from {@code decoder}.
     * @param decoder holding the decoded frame.
     */
    void onFrame(
        final long nowNs, final int socketId, final Endpoint source, final int type, final FrameDecoder decoder)
    {
        switch (type)
        {
            case MessageType.PING:
                onPing(nowNs, socketId, source, decoder.ping());
                break;
            case MessageType.PROBE:
                onProbe(socketId, source, decoder.probe());
                break;
            case MessageType.JOIN:
                counters.increment(EngineCounters.Type.JOINS_RECEIVED);
                onJoin(nowNs, socketId, source, decoder.join());
                break;
            case MessageType.LEAVE:
                swarms.onLeave(peers.byEndpoint(source), decoder.leave());
                break;
            case MessageType.INTRO:
                onIntro(nowNs, socketId, source, decoder.intro());
                break;
            case MessageType.RELAY:
                onRelay(source, decoder.relay());
                break;
            case MessageType.STUN:
                if (!onStun(socketId, source, decoder.stun()))
                {
                    counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                }
                break;
            default:
                counters.increment(EngineCounters.Type.DROPPED_UNEXPECTED);
                break;
        }
    }

    private void onPing(final long nowNs, final int socketId, final Endpoint source, final PingFlyweight ping)
    {
        if (configuration.localId().equalsAt(ping.buffer(), ping.senderIdOffset()))
        {
            return;
        }
        writer.pong(socketId, source, cookie(source), ping.echo(), source);
        // Anyone may ask for its address, but only a sender that echoes our cookie (proof that it receives at its
        // address) is recorded: spoofed floods make no state.
        if (null != peers.get(ping.senderId()) || ping.token() == cookie(source))
        {
            final Peer peer = record(nowNs, socketId, source, ping.senderId(), ping.nat(), ping.restartEpoch());
            if (null != peer)
            {
                peer.sentTo(nowNs);
                // A peer that relays for its swarms says so in every ping to us, with the key we sign its tokens
                // with; a ping without the flag withdraws it.
                peerRelayKeys.update(
                    peer, (ping.flags() & PingFlyweight.PEER_RELAY) != 0 ? ping.readRelayKey(relayKey) : null);
            }
        }
    }

    private boolean hasOurCookie(final Endpoint source, final long cookie)
    {
        if (cookie == cookie(source))
        {
            return true;
        }
        counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
        return false;
    }

    private void onProbe(final int socketId, final Endpoint source, final ProbeFlyweight probe)
    {
        scratch.set(source);
        if (probe.replyPort() != 0)
        {
            scratch.port(probe.replyPort());
        }
        final boolean otherPort = probeSocket != Transport.NO_SOCKET;
        writer.probeReply(otherPort ? probeSocket : socketId, scratch, probe.nonce(),
            otherPort ? ProbeFlyweight.FROM_OTHER_PORT : 0, source);
    }

    private boolean onStun(final int socketId, final Endpoint source, final StunMessageFlyweight stun)
    {
        final int length = stunResponder.respond(stun, source, stunBuffer, 0);
        if (length <= 0)
        {
            return false;
        }
        counters.increment(EngineCounters.Type.STUN_ANSWERED);
        writer.forward(socketId, source, stunBuffer, 0, length);
        return true;
    }

    private void onJoin(final long nowNs, final int socketId, final Endpoint source, final JoinFlyweight join)
    {
        if (!hasOurCookie(source, join.cookie()))
        {
            return;
        }
        final Peer joiner = record(nowNs, socketId, source, join.senderId(), join.nat(), join.restartEpoch());
        if (null == joiner)
        {
            return;
        }
        join.readLan(scratch);
        joiner.lanEndpoint().set(scratch);
        final Swarm swarm = swarms.getOrCreate(join.swarmId());
        swarm.add(joiner);
        candidates.clear();
        for (final Peer member : swarm.members())
        {
            if (member != joiner && member.liveness(nowNs, configuration.keepaliveNs()) != Peer.Liveness.FORGET &&
                !member.publicEndpoint().isNone())
            {
                candidates.add(member);
            }
        }
        final int wanted = Math.min(join.wanted(), MAX_INTRODUCTIONS_PER_JOIN);
        final int introduced = introductions.introduce(joiner, candidates, wanted, swarm.id());
        if (0 == introduced && wanted > 0)
        {
            writer.error(socketId, source, ErrorCode.SWARM_EMPTY, MessageType.JOIN, candidates.size(), swarm.id());
        }
        candidates.clear();
    }

    private void onIntro(final long nowNs, final int socketId, final Endpoint source, final IntroFlyweight intro)
    {
        if (!hasOurCookie(source, intro.cookie()))
        {
            return;
        }
        final Peer requester = record(nowNs, socketId, source, intro.senderId(), intro.nat(), 0);
        if (null == requester)
        {
            return;
        }
        final Id32 targetId = intro.targetId();
        final Peer target = peers.get(targetId);
        if (null == target || target == requester || target.publicEndpoint().isNone())
        {
            // The seed crashed here on an unknown target (its bug 1); we answer with an error.
            writer.error(socketId, source, ErrorCode.UNKNOWN_PEER, MessageType.INTRO, 0, targetId);
            return;
        }
        if ((intro.flags() & IntroFlyweight.RELAY) != 0)
        {
            // The pair's direct attempt failed: offer the relay instead of another punch.
            if (!introductions.offerRelay(requester, target))
            {
                writer.error(socketId, source, ErrorCode.RELAY_UNAVAILABLE, MessageType.INTRO, 0, targetId);
            }
            return;
        }
        final Id32 swarmId = intro.swarmId();
        introductions.pair(requester, target, swarmId.isZero() ? null : swarmId, 0,
            (intro.flags() & IntroFlyweight.RENEW) != 0 ? ConnectFlyweight.RENEW : 0);
    }

    private void onRelay(final Endpoint source, final RelayFlyweight relay)
    {
        final Peer sender = peers.byEndpoint(source);
        final Peer target = peers.get(relay.targetId());
        final boolean isLocal = relay.innerLength() >= 4 &&
            (relay.buffer().getByte(relay.innerOffset() + 3) & 0xFF) == MessageType.LOCAL;
        if (null == sender || !sender.id().equals(relay.senderId()) || null == target || !isLocal ||
            !sender.publicEndpoint().sameAddress(target.publicEndpoint()))
        {
            // Only LAN endpoints, only between known peers behind one NAT: the seed relayed anything to anyone.
            counters.increment(EngineCounters.Type.DROPPED_UNAUTHORISED);
            return;
        }
        writer.forward(target.socketId(), target.endpoint(), relay.buffer(), relay.innerOffset(),
            relay.innerLength());
    }

    /**
     * Forgets peers not heard from in five keepalive periods, and their memberships.
     */
    void prune(final long nowNs, final long keepaliveNs)
    {
        for (final Peer peer : peers.snapshot())
        {
            if (peer.liveness(nowNs, keepaliveNs) == Peer.Liveness.FORGET)
            {
                swarms.removePeer(peer);
                peers.remove(peer);
                peerRelayKeys.forget(peer);
            }
        }
    }

    private Peer record(
        final long nowNs, final int socketId, final Endpoint source, final Id32 id, final int natCode,
        final long restartEpoch)
    {
        if (id.equals(configuration.localId()))
        {
            return null;
        }
        final Peer peer = peers.getOrCreate(id, nowNs);
        if (null == peer)
        {
            counters.increment(EngineCounters.Type.DROPPED_PEER_TABLE_FULL);
            return null;
        }
        if (!peer.endpoint().equals(source) || peer.socketId() != socketId)
        {
            peers.setEndpoint(peer, source, socketId);
        }
        peer.publicEndpoint().set(source);
        peer.nat(NatType.fromCode(natCode));
        if (peer.updateRestartEpoch(restartEpoch))
        {
            counters.increment(EngineCounters.Type.RESTARTS_SEEN);
        }
        peer.heardFrom(nowNs);
        return peer;
    }
}
