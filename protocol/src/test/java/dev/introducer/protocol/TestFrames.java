package dev.introducer.protocol;

import java.util.random.RandomGenerator;

import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.stun.StunMessageFlyweight;

/**
 * Valid frames of every type with random field values, and a reader that calls every getter of a decoded view:
 * shared by the decoder, fuzz and allocation tests.
 */
final class TestFrames
{
    /** Every frame type code. */
    static final int[] ALL_TYPES = {
        MessageType.PING, MessageType.PONG, MessageType.PROBE, MessageType.PROBE_REPLY, MessageType.JOIN,
        MessageType.LEAVE, MessageType.INTRO, MessageType.CONNECT, MessageType.ERROR, MessageType.RELAY,
        MessageType.LOCAL, MessageType.DATA, MessageType.RELAY_BIND, MessageType.RELAY_BIND_ACK,
        MessageType.RELAY_DATA, MessageType.RELAY_OFFER};

    private static final NatType[] NAT_TYPES = NatType.values();

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
    private final RelayBindAckFlyweight relayBindAck = new RelayBindAckFlyweight();
    private final RelayDataFlyweight relayData = new RelayDataFlyweight();
    private final Endpoint endpoint = new Endpoint();
    private final Id32 idA = new Id32(0x0102030405060708L, -1L, 0, 0x7FFF_FFFF_FFFF_FFFFL);
    private final Id32 idB = new Id32(-2L, 42L, 0x8000_0000_0000_0000L, 1L);

    /**
     * Encodes a valid frame with random field values.
     *
     * @param type          frame type.
     * @param buffer        to write to; needs the type's maximum length (or {@code 8 + maxPayload}).
     * @param offset        where.
     * @param random        source of field values.
     * @param maxPayload    largest payload for DATA and RELAY_DATA, and bound for the RELAY inner frame.
     * @return the frame length.
     */
    int encode(
        final int type,
        final MutableDirectBuffer buffer,
        final int offset,
        final RandomGenerator random,
        final int maxPayload)
    {
        switch (type)
        {
            case MessageType.PING:
            case MessageType.PONG:
                (type == MessageType.PING ? ping.wrapForPing(buffer, offset) : ping.wrapForPong(buffer, offset))
                    .nat(nat(random)).restartEpoch(random.nextLong()).token(random.nextLong())
                    .echo(random.nextLong()).senderId(idA);
                if (type == MessageType.PONG)
                {
                    ping.observed(randomEndpoint(random, true));
                }
                return ping.frameLength();

            case MessageType.PROBE:
            case MessageType.PROBE_REPLY:
                (type == MessageType.PROBE ? probe.wrapForProbe(buffer, offset) :
                    probe.wrapForProbeReply(buffer, offset))
                    .flags(random.nextInt(4)).replyPort(random.nextInt(65536)).nonce(random.nextLong())
                    .senderId(idB);
                if (type == MessageType.PROBE_REPLY)
                {
                    probe.observed(randomEndpoint(random, true));
                }
                return probe.frameLength();

            case MessageType.JOIN:
                return join.wrapForJoin(buffer, offset).nat(nat(random)).wanted(random.nextInt(256))
                    .current(random.nextInt(65536)).restartEpoch(random.nextLong()).cookie(random.nextLong())
                    .senderId(idA).swarmId(idB).lan(randomEndpoint(random, false)).frameLength();

            case MessageType.LEAVE:
                return leave.wrapForLeave(buffer, offset).cookie(random.nextLong()).senderId(idA).swarmId(idB)
                    .frameLength();

            case MessageType.INTRO:
                return intro.wrapForIntro(buffer, offset).nat(nat(random)).cookie(random.nextLong()).senderId(idA)
                    .targetId(idB).swarmId(random.nextBoolean() ? Id32.ZERO : idA).frameLength();

            case MessageType.CONNECT:
                connect.wrapForConnect(buffer, offset).targetNat(nat(random)).flags(random.nextInt(4))
                    .swarmPeers(random.nextInt(65536)).token(random.nextLong())
                    .targetRestartEpoch(random.nextLong()).introducerId(idA).targetId(idB).swarmId(idA)
                    .targetPublic(randomEndpoint(random, true));
                return connect.targetLan(randomEndpoint(random, false)).frameLength();

            case MessageType.ERROR:
                return error.wrapForError(buffer, offset).code(random.nextInt(65536)).request(random.nextInt(256))
                    .detail(random.nextLong()).senderId(idA).subjectId(idB).frameLength();

            case MessageType.RELAY:
            {
                relay.wrapForRelay(buffer, offset).senderId(idA).targetId(idB);
                final int innerLength = local.wrapForLocal(buffer, relay.innerOffset())
                    .token(random.nextLong()).senderId(idA).lan(randomEndpoint(random, true)).frameLength();
                final int slack = Math.min(RelayFlyweight.MAX_INNER_LENGTH - innerLength, maxPayload);
                return relay.innerLength(innerLength + random.nextInt(slack + 1)).frameLength();
            }

            case MessageType.LOCAL:
                return local.wrapForLocal(buffer, offset).token(random.nextLong()).senderId(idB)
                    .lan(randomEndpoint(random, true)).frameLength();

            case MessageType.DATA:
            {
                final int payloadLength = random.nextInt(maxPayload + 1);
                data.wrapForData(buffer, offset, payloadLength);
                fill(buffer, data.payloadOffset(), payloadLength, random);
                return data.frameLength();
            }

            case MessageType.RELAY_BIND:
            case MessageType.RELAY_OFFER:
                (type == MessageType.RELAY_BIND ? relayBind.wrapForBind(buffer, offset) :
                    relayBind.wrapForOffer(buffer, offset))
                    .flags(random.nextInt(2)).sessionId(random.nextLong()).expiry(random.nextLong())
                    .senderId(idA).otherPeerId(idB).relayEndpoint(randomEndpoint(random, true));
                fill(buffer, relayBind.tokenOffset(), RelayBindFlyweight.TOKEN_LENGTH, random);
                return relayBind.frameLength();

            case MessageType.RELAY_BIND_ACK:
                return relayBindAck.wrapForRelayBindAck(buffer, offset).status(random.nextInt(10))
                    .sessionId(random.nextLong()).channelId(random.nextInt()).frameLength();

            case MessageType.RELAY_DATA:
            {
                final int payloadLength = random.nextInt(maxPayload + 1);
                relayData.wrapForRelayData(buffer, offset, payloadLength).channelId(random.nextInt() | 1);
                fill(buffer, relayData.payloadOffset(), payloadLength, random);
                return relayData.frameLength();
            }

            default:
                throw new IllegalArgumentException("not a frame type: " + type);
        }
    }

    private static NatType nat(final RandomGenerator random)
    {
        return NAT_TYPES[random.nextInt(NAT_TYPES.length)];
    }

    private Endpoint randomEndpoint(final RandomGenerator random, final boolean required)
    {
        final int pick = random.nextInt(required ? 2 : 3);
        final int port = 1 + random.nextInt(65535);
        if (pick == 0)
        {
            return endpoint.setIpv4(random.nextInt(), port);
        }
        if (pick == 1)
        {
            return endpoint.setIpv6(random.nextLong(), random.nextLong(), port);
        }
        return endpoint.clear();
    }

    private static void fill(
        final MutableDirectBuffer buffer, final int offset, final int length, final RandomGenerator random)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)random.nextInt());
        }
    }

    /**
     * Calls every primitive getter of the view {@code decode} wrapped, and folds the values, so that a test can
     * run each getter on hostile bytes (and the JIT cannot drop them).
     *
     * @param decoder the decoder.
     * @param type    what it returned.
     * @param into    endpoint to read into.
     * @return a fold of the values.
     */
    static long readAll(final FrameDecoder decoder, final int type, final Endpoint into)
    {
        switch (type)
        {
            case MessageType.PING:
            case MessageType.PONG:
            {
                final PingFlyweight f = decoder.ping();
                return f.nat() + f.restartEpoch() + f.token() + f.echo() + f.senderIdOffset() +
                    f.readObserved(into).port() + (f.isPong() ? 1 : 0);
            }
            case MessageType.PROBE:
            case MessageType.PROBE_REPLY:
            {
                final ProbeFlyweight f = decoder.probe();
                return f.flags() + f.replyPort() + f.nonce() + f.senderIdOffset() + f.readObserved(into).port() +
                    (f.isReply() ? 1 : 0) + (f.hasFlag(ProbeFlyweight.FROM_OTHER_PORT) ? 1 : 0);
            }
            case MessageType.JOIN:
            {
                final JoinFlyweight f = decoder.join();
                return f.nat() + f.wanted() + f.current() + f.restartEpoch() + f.cookie() + f.senderIdOffset() +
                    f.swarmIdOffset() + f.readLan(into).port();
            }
            case MessageType.LEAVE:
            {
                final LeaveFlyweight f = decoder.leave();
                return f.cookie() + f.senderIdOffset() + f.swarmIdOffset();
            }
            case MessageType.INTRO:
            {
                final IntroFlyweight f = decoder.intro();
                return f.nat() + f.cookie() + f.senderIdOffset() + f.targetIdOffset() + f.swarmIdOffset();
            }
            case MessageType.CONNECT:
            {
                final ConnectFlyweight f = decoder.connect();
                return f.targetNat() + f.flags() + f.swarmPeers() + f.token() + f.targetRestartEpoch() +
                    f.introducerIdOffset() + f.targetIdOffset() + f.swarmIdOffset() +
                    f.readTargetPublic(into).port() + f.readTargetLan(into).addressLow() +
                    (f.hasFlag(ConnectFlyweight.NEEDS_RELAY) ? 1 : 0);
            }
            case MessageType.ERROR:
            {
                final ErrorFlyweight f = decoder.error();
                return f.code() + f.request() + f.detail() + f.senderIdOffset() + f.subjectIdOffset();
            }
            case MessageType.RELAY:
            {
                final RelayFlyweight f = decoder.relay();
                final int inner = f.innerOffset();
                final int innerLength = f.innerLength();
                return f.senderIdOffset() + f.targetIdOffset() + inner + innerLength +
                    f.buffer().getByte(inner) + f.buffer().getByte(inner + innerLength - 1);
            }
            case MessageType.LOCAL:
            {
                final LocalFlyweight f = decoder.local();
                return f.token() + f.senderIdOffset() + f.readLan(into).port();
            }
            case MessageType.DATA:
            {
                final DataFlyweight f = decoder.data();
                final int length = f.payloadLength();
                return f.payloadOffset() + length +
                    (length > 0 ? f.buffer().getByte(f.payloadOffset() + length - 1) : 0);
            }
            case MessageType.RELAY_BIND:
            case MessageType.RELAY_OFFER:
            {
                final RelayBindFlyweight f = decoder.relayBind();
                return f.flags() + f.sessionId() + f.expiry() + f.senderIdOffset() + f.otherPeerIdOffset() +
                    f.readRelayEndpoint(into).port() + f.tokenOffset() + f.relayEndpointOffset() +
                    (f.isBind() ? 1 : 0) + f.buffer().getByte(f.tokenOffset() + RelayBindFlyweight.TOKEN_LENGTH - 1);
            }
            case MessageType.RELAY_BIND_ACK:
            {
                final RelayBindAckFlyweight f = decoder.relayBindAck();
                return f.status() + f.sessionId() + f.channelId();
            }
            case MessageType.RELAY_DATA:
            {
                final RelayDataFlyweight f = decoder.relayData();
                final int length = f.payloadLength();
                return f.channelId() + f.payloadOffset() + length +
                    (length > 0 ? f.buffer().getByte(f.payloadOffset() + length - 1) : 0);
            }
            case MessageType.STUN:
            {
                final StunMessageFlyweight f = decoder.stun();
                long fold = f.messageType() + f.messageClass() + f.method() + f.transactionIdOffset() +
                    f.unknownAttributeCount() + f.messageIntegrityOffset() + f.usernameOffset() +
                    f.usernameLength() + f.softwareOffset() + f.softwareLength() + (f.hasFingerprint() ? 1 : 0) +
                    (f.isBindingRequest() ? 1 : 0) + f.readXorMappedAddress(into).port() +
                    (f.hasXorMappedAddress() ? 1 : 0);
                for (int i = 0; i < f.unknownAttributeCount(); i++)
                {
                    fold += f.unknownAttribute(i);
                }
                return fold;
            }
            default:
                throw new IllegalStateException("not an accepted result: " + type);
        }
    }

    /**
     * Calls the allocating getters too (ids, tokens) of the view {@code decode} wrapped.
     *
     * @param decoder the decoder.
     * @param type    what it returned.
     * @return a fold of the values.
     */
    static long readIds(final FrameDecoder decoder, final int type)
    {
        switch (type)
        {
            case MessageType.PING:
            case MessageType.PONG:
                return decoder.ping().senderId().hashCode();
            case MessageType.PROBE:
            case MessageType.PROBE_REPLY:
                return decoder.probe().senderId().hashCode();
            case MessageType.JOIN:
                return decoder.join().senderId().hashCode() + decoder.join().swarmId().hashCode();
            case MessageType.LEAVE:
                return decoder.leave().senderId().hashCode() + decoder.leave().swarmId().hashCode();
            case MessageType.INTRO:
                return decoder.intro().senderId().hashCode() + decoder.intro().targetId().hashCode() +
                    decoder.intro().swarmId().hashCode();
            case MessageType.CONNECT:
                return decoder.connect().introducerId().hashCode() + decoder.connect().targetId().hashCode() +
                    decoder.connect().swarmId().hashCode();
            case MessageType.ERROR:
                return decoder.error().senderId().hashCode() + decoder.error().subjectId().hashCode();
            case MessageType.RELAY:
                return decoder.relay().senderId().hashCode() + decoder.relay().targetId().hashCode();
            case MessageType.LOCAL:
                return decoder.local().senderId().hashCode();
            case MessageType.RELAY_BIND:
            case MessageType.RELAY_OFFER:
            {
                final byte[] token = new byte[RelayBindFlyweight.TOKEN_LENGTH];
                decoder.relayBind().getToken(token);
                return decoder.relayBind().senderId().hashCode() + decoder.relayBind().otherPeerId().hashCode() +
                    token[31];
            }
            default:
                return 0;
        }
    }
}
