package dev.introducer.engine.core;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.DataFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.ErrorFlyweight;
import dev.introducer.protocol.FrameHeader;
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
import dev.introducer.protocol.RelayToken;

/**
 * The one place where the core encodes what it sends: one send buffer, one flyweight per frame type, and the
 * fields every frame of this node shares (id, restart epoch, current NAT type). Allocation-free.
 */
final class FrameWriter
{
    private final Transport transport;
    private final EngineCounters counters;
    private final Id32 localId;
    private final long restartEpoch;
    private final UnsafeBuffer buffer;
    private final PingFlyweight ping = new PingFlyweight();
    private final ProbeFlyweight probe = new ProbeFlyweight();
    private final JoinFlyweight join = new JoinFlyweight();
    private final LeaveFlyweight leave = new LeaveFlyweight();
    private final IntroFlyweight intro = new IntroFlyweight();
    private final ConnectFlyweight connect = new ConnectFlyweight();
    private final ErrorFlyweight error = new ErrorFlyweight();
    private final RelayFlyweight relay = new RelayFlyweight();
    private final LocalFlyweight local = new LocalFlyweight();
    private final DataFlyweight data = new DataFlyweight();
    private final RelayBindFlyweight relayBind = new RelayBindFlyweight();
    private final RelayDataFlyweight relayData = new RelayDataFlyweight();
    private NatType nat = NatType.UNKNOWN;
    private byte[] peerRelayKey;

    FrameWriter(final Transport transport, final EngineCounters counters, final Id32 localId, final long restartEpoch)
    {
        this.transport = transport;
        this.counters = counters;
        this.localId = localId;
        this.restartEpoch = restartEpoch;
        final ByteBuffer byteBuffer = BufferUtil.allocateDirectAligned(
            FrameHeader.MAX_FRAME_LENGTH + 1, 64);
        this.buffer = new UnsafeBuffer(byteBuffer);
    }

    void nat(final NatType nat)
    {
        this.nat = nat;
    }

    boolean ping(final int socketId, final Endpoint to, final long token, final long echo)
    {
        ping.wrapForPing(buffer, 0).nat(nat).restartEpoch(restartEpoch).token(token).echo(echo).senderId(localId);
        return send(socketId, to, ping.frameLength());
    }

    /**
     * A ping to an introducer, from the main socket: while we relay for our swarms it carries the flag and our
     * relay key.
     */
    boolean introducerPing(final Endpoint to, final long cookie, final long echo)
    {
        ping.wrapForPing(buffer, 0).nat(nat).restartEpoch(restartEpoch).token(cookie).echo(echo).senderId(localId);
        if (null != peerRelayKey)
        {
            ping.flags(PingFlyweight.PEER_RELAY).relayKey(peerRelayKey);
        }
        return send(Transport.MAIN_SOCKET, to, ping.frameLength());
    }

    /**
     * The key our introducer pings carry while we relay for our swarms.
     *
     * @param key the key, or null while we do not relay.
     */
    void peerRelayKey(final byte[] key)
    {
        this.peerRelayKey = key;
    }

    boolean pong(final int socketId, final Endpoint to, final long token, final long echo, final Endpoint observed)
    {
        ping.wrapForPong(buffer, 0).nat(nat).restartEpoch(restartEpoch).token(token).echo(echo).senderId(localId)
            .observed(observed);
        return send(socketId, to, ping.frameLength());
    }

    boolean probe(final int socketId, final Endpoint to, final long nonce, final int flags)
    {
        probe.wrapForProbe(buffer, 0).flags(flags).replyPort(0).nonce(nonce).senderId(localId);
        return send(socketId, to, probe.frameLength());
    }

    boolean probeReply(
        final int socketId, final Endpoint to, final long nonce, final int flags, final Endpoint observed)
    {
        probe.wrapForProbeReply(buffer, 0).flags(flags).nonce(nonce).senderId(localId).observed(observed);
        return send(socketId, to, probe.frameLength());
    }

    boolean join(
        final Endpoint to, final Id32 swarmId, final int wanted, final int current, final long cookie,
        final Endpoint lan)
    {
        join.wrapForJoin(buffer, 0).nat(nat).wanted(Math.min(wanted, 255)).current(Math.min(current, 65535))
            .restartEpoch(restartEpoch).cookie(cookie).senderId(localId).swarmId(swarmId).lan(lan);
        return send(Transport.MAIN_SOCKET, to, join.frameLength());
    }

    boolean leave(final Endpoint to, final Id32 swarmId, final long cookie)
    {
        leave.wrapForLeave(buffer, 0).cookie(cookie).senderId(localId).swarmId(swarmId);
        return send(Transport.MAIN_SOCKET, to, leave.frameLength());
    }

    boolean intro(final Endpoint to, final Id32 targetId, final Id32 swarmId, final long cookie, final int flags)
    {
        intro.wrapForIntro(buffer, 0).nat(nat).flags(flags).cookie(cookie).senderId(localId).targetId(targetId)
            .swarmId(null == swarmId ? Id32.ZERO : swarmId);
        return send(Transport.MAIN_SOCKET, to, intro.frameLength());
    }

    /**
     * Tells {@code recipient} to connect to {@code target}.
     */
    boolean connect(
        final Peer recipient, final Peer target, final Id32 swarmId, final long token, final int flags,
        final int swarmPeers)
    {
        connect.wrapForConnect(buffer, 0)
            .targetNat(target.nat())
            .flags(flags)
            .swarmPeers(Math.min(swarmPeers, 65535))
            .token(token)
            .targetRestartEpoch(target.restartEpoch())
            .introducerId(localId)
            .targetId(target.id())
            .swarmId(null == swarmId ? Id32.ZERO : swarmId)
            .targetPublic(target.publicEndpoint())
            .targetLan(target.lanEndpoint());
        return send(recipient.socketId(), recipient.endpoint(), connect.frameLength());
    }

    boolean error(final int socketId, final Endpoint to, final int code, final int request, final long detail,
        final Id32 subject)
    {
        error.wrapForError(buffer, 0).code(code).request(request).detail(detail).senderId(localId)
            .subjectId(null == subject ? Id32.ZERO : subject);
        return send(socketId, to, error.frameLength());
    }

    /**
     * Asks an introducer to forward our LAN endpoint to a peer behind the same NAT.
     */
    boolean relayLocal(final Endpoint introducer, final Id32 targetId, final long token, final Endpoint lan)
    {
        final int innerOffset = RelayFlyweight.INNER_OFFSET;
        local.wrapForLocal(buffer, innerOffset).token(token).senderId(localId).lan(lan);
        final int innerLength = local.frameLength();
        relay.wrapForRelay(buffer, 0).innerLength(innerLength).senderId(localId).targetId(targetId);
        return send(Transport.MAIN_SOCKET, introducer, relay.frameLength());
    }

    /**
     * Copies a payload behind a DATA header and sends it.
     */
    boolean data(final int socketId, final Endpoint to, final DirectBuffer payload, final int offset, final int length)
    {
        data.wrapForData(buffer, 0, length);
        buffer.putBytes(data.payloadOffset(), payload, offset, length);
        return send(socketId, to, data.frameLength());
    }

    /**
     * Offers {@code recipient} a relay session with {@code other}: the offer names the recipient, so it is the
     * bind the recipient will send.
     */
    boolean relayOffer(final Peer recipient, final Peer other, final long sessionId, final long expiryMs,
        final Endpoint relay, final RelayToken token)
    {
        relayBind.wrapForOffer(buffer, 0).sessionId(sessionId).expiry(expiryMs).senderId(recipient.id())
            .otherPeerId(other.id()).relayEndpoint(relay);
        token.sign(relayBind);
        return send(recipient.socketId(), recipient.endpoint(), relayBind.frameLength());
    }

    /**
     * Sends a bind made from an offer's bytes, from the socket of our path to the relay (the main socket for a
     * relay node; for a peer relay, the socket of our punched path to that peer).
     */
    boolean relayBind(final int socketId, final Endpoint relay, final byte[] offer, final int flags)
    {
        buffer.putBytes(0, offer);
        buffer.putByte(FrameHeader.TYPE_OFFSET, (byte)MessageType.RELAY_BIND);
        buffer.putByte(RelayBindFlyweight.FLAGS_OFFSET, (byte)flags);
        return send(socketId, relay, offer.length);
    }

    /**
     * Copies a payload behind a RELAY_DATA header for a relay channel and sends it.
     */
    boolean relayData(final int socketId, final Endpoint relay, final int channelId, final DirectBuffer payload,
        final int offset, final int length)
    {
        relayData.wrapForRelayData(buffer, 0, length).channelId(channelId);
        buffer.putBytes(relayData.payloadOffset(), payload, offset, length);
        return send(socketId, relay, relayData.frameLength());
    }

    /**
     * Sends bytes already encoded elsewhere (a relayed inner frame).
     */
    boolean forward(final int socketId, final Endpoint to, final DirectBuffer frame, final int offset, final int length)
    {
        return countSend(transport.send(socketId, to, frame, offset, length), length);
    }

    static int maxDataPayload()
    {
        return FrameHeader.MAX_FRAME_LENGTH - MessageType.fixedLength(MessageType.DATA);
    }

    private boolean send(final int socketId, final Endpoint to, final int length)
    {
        return countSend(transport.send(socketId, to, buffer, 0, length), length);
    }

    private boolean countSend(final boolean sent, final int length)
    {
        counters.increment(sent ? EngineCounters.Type.DATAGRAMS_SENT : EngineCounters.Type.SEND_FAILURES);
        counters.add(EngineCounters.Type.BYTES_SENT, sent ? length : 0);
        return sent;
    }
}
