package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link FrameDecoder} answers for datagrams that are not valid frames: the header, length and extension
 * rules for every type, and the checks of each type's fields.
 */
class FrameDecoderTest
{
    private static final int OFFSET = 3;
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + FrameHeader.MAX_FRAME_LENGTH + 2]);
    private final FrameDecoder decoder = new FrameDecoder();
    private final TestFrames frames = new TestFrames();
    private final Endpoint endpoint = new Endpoint();

    static Stream<Arguments> types()
    {
        return IntStream.of(TestFrames.ALL_TYPES).mapToObj(t -> Arguments.of(Named.of(MessageType.name(t), t)));
    }

    static Stream<Arguments> controlTypes()
    {
        return types().filter(a -> !MessageType.isDataType((Integer)((Named<?>)a.get()[0]).getPayload()));
    }

    private int encode(final int type)
    {
        return frames.encode(type, buffer, OFFSET, new SplittableRandom(type), 100);
    }

    private static UnsafeBuffer exactCopy(final MutableDirectBuffer from, final int offset, final int length)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, from, offset, length);
        return copy;
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyTypeDecodesAtItsFixedLength(final int type)
    {
        final int length = encode(type);
        assertEquals(type, decoder.decode(exactCopy(buffer, OFFSET, length), 0, length));
    }

    @ParameterizedTest
    @MethodSource("types")
    void anythingShorterThanTheFixedLengthIsTruncated(final int type)
    {
        encode(type);
        for (int length = 0; length < MessageType.fixedLength(type); length++)
        {
            // An exact-size buffer: a read past the datagram would throw.
            assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(exactCopy(buffer, OFFSET, length), 0, length));
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void oneByteLongerThanTheTypeAllowsIsOversized(final int type)
    {
        encode(type);
        assertEquals(DecodeResult.ERR_OVERSIZED, decoder.decode(buffer, OFFSET, MessageType.maxLength(type) + 1));
    }

    @ParameterizedTest
    @MethodSource("controlTypes")
    void trailingBytesUpTo512AreIgnoredSoThatFieldsCanBeAppended(final int type)
    {
        final int length = encode(type);
        assertEquals(type, decoder.decode(buffer, OFFSET, length));
        final long fields = TestFrames.readAll(decoder, type, endpoint);
        for (int i = length; i < FrameHeader.MAX_CONTROL_FRAME_LENGTH; i++)
        {
            buffer.putByte(OFFSET + i, (byte)(i * 7));
        }

        assertEquals(type, decoder.decode(buffer, OFFSET, FrameHeader.MAX_CONTROL_FRAME_LENGTH));
        assertEquals(FrameHeader.MAX_CONTROL_FRAME_LENGTH, frameLength(type));
        assertEquals(fields, TestFrames.readAll(decoder, type, endpoint));
    }

    private int frameLength(final int type)
    {
        switch (type)
        {
            case MessageType.PING: case MessageType.PONG: return decoder.ping().frameLength();
            case MessageType.PROBE: case MessageType.PROBE_REPLY: return decoder.probe().frameLength();
            case MessageType.JOIN: return decoder.join().frameLength();
            case MessageType.LEAVE: return decoder.leave().frameLength();
            case MessageType.INTRO: return decoder.intro().frameLength();
            case MessageType.CONNECT: return decoder.connect().frameLength();
            case MessageType.ERROR: return decoder.error().frameLength();
            case MessageType.RELAY: return decoder.relay().frameLength();
            case MessageType.LOCAL: return decoder.local().frameLength();
            case MessageType.RELAY_BIND: case MessageType.RELAY_OFFER: return decoder.relayBind().frameLength();
            case MessageType.RELAY_BIND_ACK: return decoder.relayBindAck().frameLength();
            default: throw new IllegalArgumentException();
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void anotherMajorVersionIsDropped(final int type)
    {
        final int length = encode(type);
        for (final int version : new int[]{0, 2, 0x7F, 0xFF})
        {
            buffer.putByte(OFFSET + FrameHeader.VERSION_OFFSET, (byte)version);
            assertEquals(DecodeResult.ERR_BAD_VERSION, decoder.decode(buffer, OFFSET, length));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x11, 0x12, 0x7F, 0x80, 0xFF})
    void anUnknownTypeIsDroppedWhateverItsLength(final int type)
    {
        encode(MessageType.CONNECT);
        buffer.putByte(OFFSET + FrameHeader.TYPE_OFFSET, (byte)type);
        assertEquals(DecodeResult.ERR_UNKNOWN_TYPE, decoder.decode(buffer, OFFSET, FrameHeader.LENGTH));
        assertEquals(DecodeResult.ERR_UNKNOWN_TYPE, decoder.decode(buffer, OFFSET, ConnectFlyweight.LENGTH));
    }

    static Stream<Arguments> natFields()
    {
        return Stream.of(
            Arguments.of(Named.of("ping", MessageType.PING), PingFlyweight.NAT_OFFSET),
            Arguments.of(Named.of("pong", MessageType.PONG), PingFlyweight.NAT_OFFSET),
            Arguments.of(Named.of("join", MessageType.JOIN), JoinFlyweight.NAT_OFFSET),
            Arguments.of(Named.of("intro", MessageType.INTRO), IntroFlyweight.NAT_OFFSET),
            Arguments.of(Named.of("connect", MessageType.CONNECT), ConnectFlyweight.TARGET_NAT_OFFSET));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("natFields")
    void aNatTypeAbove3IsABadField(final int type, final int fieldOffset)
    {
        final int length = encode(type);
        for (int nat = 0; nat < 256; nat++)
        {
            buffer.putByte(OFFSET + fieldOffset, (byte)nat);
            assertEquals(nat <= NatType.MAX_CODE ? type : DecodeResult.ERR_BAD_FIELD,
                decoder.decode(buffer, OFFSET, length), "nat " + nat);
        }
    }

    static Stream<Arguments> endpointSlots()
    {
        return Stream.of(
            Arguments.of(Named.of("pong observed", MessageType.PONG), PingFlyweight.OBSERVED_OFFSET, true),
            Arguments.of(Named.of("probe reply observed", MessageType.PROBE_REPLY), ProbeFlyweight.OBSERVED_OFFSET,
                true),
            Arguments.of(Named.of("join lan", MessageType.JOIN), JoinFlyweight.LAN_OFFSET, false),
            Arguments.of(Named.of("connect public", MessageType.CONNECT), ConnectFlyweight.TARGET_PUBLIC_OFFSET, true),
            Arguments.of(Named.of("connect lan", MessageType.CONNECT), ConnectFlyweight.TARGET_LAN_OFFSET, false),
            Arguments.of(Named.of("local lan", MessageType.LOCAL), LocalFlyweight.LAN_OFFSET, true),
            Arguments.of(Named.of("relay offer endpoint", MessageType.RELAY_OFFER),
                RelayBindFlyweight.RELAY_ENDPOINT_OFFSET, true),
            Arguments.of(Named.of("relay bind endpoint", MessageType.RELAY_BIND),
                RelayBindFlyweight.RELAY_ENDPOINT_OFFSET, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointSlots")
    void anEndpointFamilyOtherThan0Or4Or6IsABadField(final int type, final int slot, final boolean required)
    {
        final int length = encode(type);
        endpoint.setIpv4(0x7F00_0001, 9).write(buffer, OFFSET + slot);
        for (int family = 0; family < 256; family++)
        {
            buffer.putByte(OFFSET + slot + Endpoint.FAMILY_OFFSET, (byte)family);
            final boolean valid = family == Endpoint.FAMILY_IPV4 || family == Endpoint.FAMILY_IPV6 ||
                (family == Endpoint.FAMILY_NONE && !required);
            assertEquals(valid ? type : DecodeResult.ERR_BAD_FIELD, decoder.decode(buffer, OFFSET, length),
                "family " + family);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointSlots")
    void aRequiredEndpointMustHaveAnAddressAndAPort(final int type, final int slot, final boolean required)
    {
        final int length = encode(type);
        Endpoint.writeNone(buffer, OFFSET + slot);
        assertEquals(required ? DecodeResult.ERR_BAD_FIELD : type, decoder.decode(buffer, OFFSET, length));

        endpoint.setIpv6(1, 2, 0).write(buffer, OFFSET + slot);
        assertEquals(required ? DecodeResult.ERR_BAD_FIELD : type, decoder.decode(buffer, OFFSET, length));

        endpoint.setIpv6(1, 2, 1).write(buffer, OFFSET + slot);
        assertEquals(type, decoder.decode(buffer, OFFSET, length));
    }

    @ParameterizedTest
    @ValueSource(ints = {MessageType.PING, MessageType.PROBE})
    void paddingOfARequestIsNotAnEndpointAndIsIgnored(final int type)
    {
        final int length = encode(type);
        final int padding = type == MessageType.PING ? PingFlyweight.OBSERVED_OFFSET : ProbeFlyweight.OBSERVED_OFFSET;
        buffer.setMemory(OFFSET + padding, Endpoint.LENGTH, (byte)0xEE);
        assertEquals(type, decoder.decode(buffer, OFFSET, length));
    }

    @Test
    void reservedBytesAreIgnored()
    {
        final int length = encode(MessageType.ERROR);
        buffer.putByte(OFFSET + 7, (byte)0xFF);
        buffer.putInt(OFFSET + 12, -1);
        assertEquals(MessageType.ERROR, decoder.decode(buffer, OFFSET, length));
    }

    @Test
    void aRelayInnerFrameMustBeAtLeastAHeaderAndFitTheDatagram()
    {
        final int length = encode(MessageType.RELAY);
        final int room = length - RelayFlyweight.INNER_OFFSET;
        for (final int inner : new int[]{0, 1, 3, room + 1, 0xFFFF})
        {
            buffer.putShort(OFFSET + RelayFlyweight.INNER_LENGTH_OFFSET, (short)inner, BIG);
            assertEquals(DecodeResult.ERR_BAD_FIELD, decoder.decode(buffer, OFFSET, length), "inner " + inner);
        }
        for (final int inner : new int[]{4, room})
        {
            buffer.putShort(OFFSET + RelayFlyweight.INNER_LENGTH_OFFSET, (short)inner, BIG);
            assertEquals(MessageType.RELAY, decoder.decode(buffer, OFFSET, length), "inner " + inner);
        }
    }

    @Test
    void aRelayCutInsideItsInnerFrameIsABadFieldNotTruncated()
    {
        final int length = encode(MessageType.RELAY);
        buffer.putShort(OFFSET + RelayFlyweight.INNER_LENGTH_OFFSET,
            (short)(length - RelayFlyweight.INNER_OFFSET), BIG);
        assertEquals(DecodeResult.ERR_BAD_FIELD, decoder.decode(buffer, OFFSET, length - 1));
    }

    @Test
    void relayDataOnChannelZeroIsABadField()
    {
        final int length = encode(MessageType.RELAY_DATA);
        buffer.putInt(OFFSET + RelayDataFlyweight.CHANNEL_ID_OFFSET, 0);
        assertEquals(DecodeResult.ERR_BAD_FIELD, decoder.decode(buffer, OFFSET, length));
    }

    @Test
    void argumentsOutsideTheBufferAreTruncatedAndNeverThrow()
    {
        final int capacity = buffer.capacity();
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(null, 0, 100));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, -1, 100));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, Integer.MIN_VALUE, 100));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, 0, -1));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, 0, Integer.MIN_VALUE));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, 0, capacity + 1));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, 0, Integer.MAX_VALUE));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, capacity, 4));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, capacity - 3, 4));
        assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x16, 0x40, 0x80, 0xBF, 0xC0, 0xC1, 0xFF})
    void fewerThanFourBytesAreTruncatedWhateverTheyAre(final int firstByte)
    {
        for (int length = 0; length < FrameHeader.LENGTH; length++)
        {
            final UnsafeBuffer datagram = new UnsafeBuffer(new byte[length]);
            if (length > 0)
            {
                datagram.putByte(0, (byte)firstByte);
            }
            assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(datagram, 0, length));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x16, 0x17, 0x40, 0x80, 0xBF, 0xC0, 0xC2, 0xFF})
    void strayTrafficIsBadMagic(final int firstByte)
    {
        // DTLS (0x16, 0x17), TURN ChannelData (0x40), RTP (0x80..0xBF) and other starts without the STUN cookie.
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[64]);
        datagram.putByte(0, (byte)firstByte);
        datagram.putByte(1, (byte)FrameHeader.MAGIC_1);
        assertEquals(DecodeResult.ERR_BAD_MAGIC, decoder.decode(datagram, 0, 64));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80, 0xC0, 0xFF})
    void theStunCookieCountsOnlyWhenTheTopTwoBitsAreClear(final int firstByte)
    {
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[20]);
        datagram.putByte(0, (byte)firstByte);
        datagram.putInt(4, 0x2112_A442, BIG);
        assertEquals(DecodeResult.ERR_BAD_MAGIC, decoder.decode(datagram, 0, 20));
    }

    @Test
    void ourFirstMagicByteWithoutTheSecondIsBadMagic()
    {
        final int length = encode(MessageType.PING);
        buffer.putByte(OFFSET + FrameHeader.MAGIC_1_OFFSET, (byte)0xA6);
        assertEquals(DecodeResult.ERR_BAD_MAGIC, decoder.decode(buffer, OFFSET, length));
    }

    @Test
    void aStunLookingStartTooShortForItsCookieIsTruncatedAndWithoutTheCookieBadMagic()
    {
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[20]);
        datagram.putShort(0, (short)0x0001);
        for (int length = FrameHeader.LENGTH; length < 8; length++)
        {
            assertEquals(DecodeResult.ERR_TRUNCATED, decoder.decode(datagram, 0, length));
        }
        assertEquals(DecodeResult.ERR_BAD_MAGIC, decoder.decode(datagram, 0, 20));
    }
}
