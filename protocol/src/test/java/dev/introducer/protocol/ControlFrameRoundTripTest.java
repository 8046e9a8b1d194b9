package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of PING, PONG, PROBE, PROBE_REPLY, JOIN, LEAVE, INTRO, CONNECT and ERROR survives encoding and
 * decoding through {@link FrameDecoder}, at the edges of its range. Frames start at an odd offset so that no
 * offset arithmetic is hidden by alignment.
 */
class ControlFrameRoundTripTest
{
    private static final int OFFSET = 13;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final FrameDecoder decoder = new FrameDecoder();
    private final Endpoint endpoint = new Endpoint();

    @BeforeEach
    void fillWithGarbageSoThatEncodersMustZeroReservedBytes()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0xA5);
    }

    static Stream<RoundTripValues> values()
    {
        return RoundTripValues.all();
    }

    private int decode(final int length)
    {
        return decoder.decode(buffer, OFFSET, length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void pingCarriesNatEpochTokenEchoAndSender(final RoundTripValues v)
    {
        final int length = new PingFlyweight().wrapForPing(buffer, OFFSET).nat(v.nat()).restartEpoch(v.u64())
            .token(v.u64() ^ 1).echo(~v.u64()).senderId(v.id()).frameLength();

        assertEquals(PingFlyweight.LENGTH, length);
        assertEquals(MessageType.PING, decode(length));
        final PingFlyweight ping = decoder.ping();
        assertFalse(ping.isPong());
        assertEquals(v.nat().code(), ping.nat());
        assertEquals(v.u64(), ping.restartEpoch());
        assertEquals(v.u64() ^ 1, ping.token());
        assertEquals(~v.u64(), ping.echo());
        assertEquals(v.id(), ping.senderId());
        assertTrue(v.id().equalsAt(buffer, ping.senderIdOffset()));
        assertEquals(length, ping.frameLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void pingOfAPeerRelayCarriesItsFlagAndKey(final RoundTripValues v)
    {
        final byte[] key = new byte[PingFlyweight.RELAY_KEY_LENGTH];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(v.u64() >>> (i % 8 * 8) ^ i);
        }
        final int plain = new PingFlyweight().wrapForPing(buffer, OFFSET).nat(v.nat()).senderId(v.id())
            .frameLength();
        assertEquals(MessageType.PING, decode(plain));
        assertEquals(0, decoder.ping().flags(), "a ping without the flag: the encoder zeroes the flags");

        final int length = new PingFlyweight().wrapForPing(buffer, OFFSET).nat(v.nat()).senderId(v.id())
            .flags(PingFlyweight.PEER_RELAY).relayKey(key).frameLength();
        assertEquals(PingFlyweight.LENGTH, length, "the key rides in the padding: the length is unchanged");
        assertEquals(MessageType.PING, decode(length));
        assertEquals(PingFlyweight.PEER_RELAY, decoder.ping().flags());
        assertArrayEquals(key, decoder.ping().readRelayKey(new byte[PingFlyweight.RELAY_KEY_LENGTH]));
        assertEquals(v.id(), decoder.ping().senderId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void pongCarriesTheObservedEndpointToo(final RoundTripValues v)
    {
        final int length = new PingFlyweight().wrapForPong(buffer, OFFSET).nat(v.nat()).restartEpoch(v.u64())
            .token(~v.u64()).echo(v.u64()).senderId(v.id()).observed(v.endpoint()).frameLength();

        assertEquals(MessageType.PONG, decode(length));
        final PingFlyweight pong = decoder.ping();
        assertTrue(pong.isPong());
        assertEquals(v.nat().code(), pong.nat());
        assertEquals(v.u64(), pong.restartEpoch());
        assertEquals(~v.u64(), pong.token());
        assertEquals(v.u64(), pong.echo());
        assertEquals(v.id(), pong.senderId());
        assertEquals(v.endpoint(), pong.readObserved(endpoint));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void probeCarriesFlagsReplyPortNonceAndSender(final RoundTripValues v)
    {
        final int length = new ProbeFlyweight().wrapForProbe(buffer, OFFSET).flags(v.u8()).replyPort(v.u16())
            .nonce(v.u64()).senderId(v.id()).frameLength();

        assertEquals(ProbeFlyweight.LENGTH, length);
        assertEquals(MessageType.PROBE, decode(length));
        final ProbeFlyweight probe = decoder.probe();
        assertFalse(probe.isReply());
        assertEquals(v.u8(), probe.flags());
        assertEquals((v.u8() & 1) != 0, probe.hasFlag(ProbeFlyweight.FROM_OTHER_PORT));
        assertEquals((v.u8() & 2) != 0, probe.hasFlag(ProbeFlyweight.FROM_OTHER_ADDRESS));
        assertEquals(v.u16(), probe.replyPort());
        assertEquals(v.u64(), probe.nonce());
        assertEquals(v.id(), probe.senderId());
        assertTrue(v.id().equalsAt(buffer, probe.senderIdOffset()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void probeReplyCarriesTheObservedEndpoint(final RoundTripValues v)
    {
        final int length = new ProbeFlyweight().wrapForProbeReply(buffer, OFFSET).flags(v.u8()).nonce(v.u64())
            .senderId(v.id()).observed(v.endpoint()).frameLength();

        assertEquals(MessageType.PROBE_REPLY, decode(length));
        final ProbeFlyweight reply = decoder.probe();
        assertTrue(reply.isReply());
        assertEquals(v.u8(), reply.flags());
        assertEquals(v.u64(), reply.nonce());
        assertEquals(v.id(), reply.senderId());
        assertEquals(v.endpoint(), reply.readObserved(endpoint));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void joinCarriesCountsEpochCookieIdsAndLanEndpoint(final RoundTripValues v)
    {
        final int length = new JoinFlyweight().wrapForJoin(buffer, OFFSET).nat(v.nat()).wanted(v.u8())
            .current(v.u16()).restartEpoch(v.u64()).cookie(~v.u64()).senderId(v.id()).swarmId(v.otherId())
            .lan(v.optionalEndpoint()).frameLength();

        assertEquals(JoinFlyweight.LENGTH, length);
        assertEquals(MessageType.JOIN, decode(length));
        final JoinFlyweight join = decoder.join();
        assertEquals(v.nat().code(), join.nat());
        assertEquals(v.u8(), join.wanted());
        assertEquals(v.u16(), join.current());
        assertEquals(v.u64(), join.restartEpoch());
        assertEquals(~v.u64(), join.cookie());
        assertEquals(v.id(), join.senderId());
        assertEquals(v.otherId(), join.swarmId());
        assertTrue(v.otherId().equalsAt(buffer, join.swarmIdOffset()));
        assertTrue(v.id().equalsAt(buffer, join.senderIdOffset()));
        assertEquals(v.optionalEndpoint(), join.readLan(endpoint));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void leaveCarriesCookieSenderAndSwarm(final RoundTripValues v)
    {
        final int length = new LeaveFlyweight().wrapForLeave(buffer, OFFSET).cookie(v.u64()).senderId(v.id())
            .swarmId(v.otherId()).frameLength();

        assertEquals(LeaveFlyweight.LENGTH, length);
        assertEquals(MessageType.LEAVE, decode(length));
        final LeaveFlyweight leave = decoder.leave();
        assertEquals(v.u64(), leave.cookie());
        assertEquals(v.id(), leave.senderId());
        assertEquals(v.otherId(), leave.swarmId());
        assertTrue(v.id().equalsAt(buffer, leave.senderIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, leave.swarmIdOffset()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void introCarriesNatFlagsCookieAndThreeIds(final RoundTripValues v)
    {
        final int length = new IntroFlyweight().wrapForIntro(buffer, OFFSET).nat(v.nat()).flags(v.u8())
            .cookie(v.u64())
            .senderId(v.id()).targetId(v.otherId()).swarmId(v.thirdId()).frameLength();

        assertEquals(IntroFlyweight.LENGTH, length);
        assertEquals(MessageType.INTRO, decode(length));
        final IntroFlyweight intro = decoder.intro();
        assertEquals(v.nat().code(), intro.nat());
        assertEquals(v.u8(), intro.flags());
        assertEquals(v.u64(), intro.cookie());
        assertEquals(v.id(), intro.senderId());
        assertEquals(v.otherId(), intro.targetId());
        assertEquals(v.thirdId(), intro.swarmId());
        assertTrue(v.id().equalsAt(buffer, intro.senderIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, intro.targetIdOffset()));
        assertTrue(v.thirdId().equalsAt(buffer, intro.swarmIdOffset()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void connectCarriesEverythingAPunchNeeds(final RoundTripValues v)
    {
        final int flags = v.u8() & (ConnectFlyweight.NEEDS_RELAY | ConnectFlyweight.SAME_NAT);
        final int length = new ConnectFlyweight().wrapForConnect(buffer, OFFSET).targetNat(v.nat()).flags(v.u8())
            .swarmPeers(v.u16()).token(v.u64()).targetRestartEpoch(~v.u64()).introducerId(v.id())
            .targetId(v.otherId()).swarmId(v.thirdId()).targetPublic(v.endpoint())
            .targetLan(v.optionalEndpoint()).frameLength();

        assertEquals(ConnectFlyweight.LENGTH, length);
        assertEquals(MessageType.CONNECT, decode(length));
        final ConnectFlyweight connect = decoder.connect();
        assertEquals(v.nat().code(), connect.targetNat());
        assertEquals(v.u8(), connect.flags());
        assertEquals((flags & ConnectFlyweight.NEEDS_RELAY) != 0, connect.hasFlag(ConnectFlyweight.NEEDS_RELAY));
        assertEquals((flags & ConnectFlyweight.SAME_NAT) != 0, connect.hasFlag(ConnectFlyweight.SAME_NAT));
        assertEquals(v.u16(), connect.swarmPeers());
        assertEquals(v.u64(), connect.token());
        assertEquals(~v.u64(), connect.targetRestartEpoch());
        assertEquals(v.id(), connect.introducerId());
        assertEquals(v.otherId(), connect.targetId());
        assertEquals(v.thirdId(), connect.swarmId());
        assertTrue(v.id().equalsAt(buffer, connect.introducerIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, connect.targetIdOffset()));
        assertTrue(v.thirdId().equalsAt(buffer, connect.swarmIdOffset()));
        assertEquals(v.endpoint(), connect.readTargetPublic(endpoint));
        assertEquals(v.optionalEndpoint(), connect.readTargetLan(endpoint));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void errorCarriesCodeRequestDetailAndIds(final RoundTripValues v)
    {
        final int length = new ErrorFlyweight().wrapForError(buffer, OFFSET).code(v.u16()).request(v.u8())
            .detail(v.u32()).senderId(v.id()).subjectId(v.otherId()).frameLength();

        assertEquals(ErrorFlyweight.LENGTH, length);
        assertEquals(MessageType.ERROR, decode(length));
        final ErrorFlyweight error = decoder.error();
        assertEquals(v.u16(), error.code());
        assertEquals(v.u8(), error.request());
        assertEquals(v.u32(), error.detail());
        assertEquals(v.id(), error.senderId());
        assertEquals(v.otherId(), error.subjectId());
        assertTrue(v.id().equalsAt(buffer, error.senderIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, error.subjectIdOffset()));
    }
}
