package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of RELAY, LOCAL, DATA, RELAY_OFFER, RELAY_BIND, RELAY_BIND_ACK and RELAY_DATA survives encoding and
 * decoding through {@link FrameDecoder}, including the largest payloads and inner frames.
 */
class PayloadFrameRoundTripTest
{
    private static final int OFFSET = 5;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + FrameHeader.MAX_FRAME_LENGTH + 64]);
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[FrameHeader.MAX_FRAME_LENGTH]);
    private final FrameDecoder decoder = new FrameDecoder();
    private final Endpoint endpoint = new Endpoint();

    @BeforeEach
    void fillWithGarbageSoThatEncodersMustZeroReservedBytes()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0xA5);
        for (int i = 0; i < source.capacity(); i++)
        {
            source.putByte(i, (byte)(i * 31 + 7));
        }
    }

    static Stream<RoundTripValues> values()
    {
        return RoundTripValues.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void relayCarriesIdsAndACopiedInnerLocalFrame(final RoundTripValues v)
    {
        final UnsafeBuffer innerSource = new UnsafeBuffer(new byte[LocalFlyweight.LENGTH]);
        final int innerLength = new LocalFlyweight().wrapForLocal(innerSource, 0).token(v.u64()).senderId(v.id())
            .lan(v.endpoint()).frameLength();
        final int length = new RelayFlyweight().wrapForRelay(buffer, OFFSET).senderId(v.id()).targetId(v.otherId())
            .putInner(innerSource, 0, innerLength).frameLength();

        assertEquals(RelayFlyweight.LENGTH + LocalFlyweight.LENGTH, length);
        assertEquals(MessageType.RELAY, decoder.decode(buffer, OFFSET, length));
        final RelayFlyweight relay = decoder.relay();
        assertEquals(v.id(), relay.senderId());
        assertEquals(v.otherId(), relay.targetId());
        assertTrue(v.id().equalsAt(buffer, relay.senderIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, relay.targetIdOffset()));
        assertEquals(OFFSET + RelayFlyweight.INNER_OFFSET, relay.innerOffset());
        assertEquals(innerLength, relay.innerLength());

        final FrameDecoder innerDecoder = new FrameDecoder();
        assertEquals(MessageType.LOCAL, innerDecoder.decode(buffer, relay.innerOffset(), relay.innerLength()));
        assertEquals(v.u64(), innerDecoder.local().token());
        assertEquals(v.endpoint(), innerDecoder.local().readLan(endpoint));
    }

    @Test
    void relayInnerFrameCanBeEncodedInPlaceUpToTheControlFrameLimit()
    {
        final RelayFlyweight relay = new RelayFlyweight().wrapForRelay(buffer, OFFSET);
        final int innerLength = RelayFlyweight.MAX_INNER_LENGTH;
        new DataFlyweight().wrapForData(buffer, relay.innerOffset(), innerLength - DataFlyweight.PAYLOAD_OFFSET)
            .putPayload(source, 0);
        final int length = relay.innerLength(innerLength).frameLength();

        assertEquals(FrameHeader.MAX_CONTROL_FRAME_LENGTH, length);
        assertEquals(MessageType.RELAY, decoder.decode(buffer, OFFSET, length));
        assertEquals(440, decoder.relay().innerLength());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3, RelayFlyweight.MAX_INNER_LENGTH + 1})
    void relayEncoderRefusesAnInnerLengthThatCannotBeSent(final int innerLength)
    {
        final RelayFlyweight relay = new RelayFlyweight().wrapForRelay(buffer, OFFSET);
        assertThrows(IllegalArgumentException.class, () -> relay.innerLength(innerLength));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void localCarriesTokenSenderAndLanEndpoint(final RoundTripValues v)
    {
        final int length = new LocalFlyweight().wrapForLocal(buffer, OFFSET).token(v.u64()).senderId(v.id())
            .lan(v.endpoint()).frameLength();

        assertEquals(LocalFlyweight.LENGTH, length);
        assertEquals(MessageType.LOCAL, decoder.decode(buffer, OFFSET, length));
        final LocalFlyweight local = decoder.local();
        assertEquals(v.u64(), local.token());
        assertEquals(v.id(), local.senderId());
        assertTrue(v.id().equalsAt(buffer, local.senderIdOffset()));
        assertEquals(v.endpoint(), local.readLan(endpoint));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 1200, DataFlyweight.MAX_PAYLOAD_LENGTH})
    void dataCarriesAnyPayloadUpToTheLargestUdpDatagram(final int payloadLength)
    {
        final DataFlyweight encoder = new DataFlyweight().wrapForData(buffer, OFFSET, payloadLength);
        encoder.putPayload(source, 0);
        final int length = encoder.frameLength();

        assertEquals(DataFlyweight.PAYLOAD_OFFSET + payloadLength, length);
        assertEquals(MessageType.DATA, decoder.decode(buffer, OFFSET, length));
        final DataFlyweight data = decoder.data();
        assertEquals(OFFSET + DataFlyweight.PAYLOAD_OFFSET, data.payloadOffset());
        assertEquals(payloadLength, data.payloadLength());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[payloadLength]);
        data.getPayload(copy, 0);
        assertTrue(Arrays.equals(Arrays.copyOf(source.byteArray(), payloadLength), copy.byteArray()));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, DataFlyweight.MAX_PAYLOAD_LENGTH + 1})
    void dataEncoderRefusesAPayloadThatCannotBeSent(final int payloadLength)
    {
        assertThrows(IllegalArgumentException.class,
            () -> new DataFlyweight().wrapForData(buffer, OFFSET, payloadLength));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void relayOfferCarriesSessionExpiryIdsEndpointAndToken(final RoundTripValues v)
    {
        final byte[] token = Arrays.copyOf(source.byteArray(), RelayBindFlyweight.TOKEN_LENGTH);
        final int length = new RelayBindFlyweight().wrapForOffer(buffer, OFFSET).flags(v.u8()).sessionId(v.u64())
            .expiry(~v.u64()).senderId(v.id()).otherPeerId(v.otherId()).relayEndpoint(v.endpoint())
            .putToken(token).frameLength();

        assertEquals(RelayBindFlyweight.LENGTH, length);
        assertEquals(MessageType.RELAY_OFFER, decoder.decode(buffer, OFFSET, length));
        final RelayBindFlyweight offer = decoder.relayBind();
        assertFalse(offer.isBind());
        assertRelayBindFields(v, offer, token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void relayBindHasTheOfferLayoutAndARefreshFlag(final RoundTripValues v)
    {
        final int length = new RelayBindFlyweight().wrapForBind(buffer, OFFSET).flags(v.u8()).sessionId(v.u64())
            .expiry(~v.u64()).senderId(v.id()).otherPeerId(v.otherId()).relayEndpoint(v.endpoint())
            .putToken(source, 0).frameLength();

        assertEquals(MessageType.RELAY_BIND, decoder.decode(buffer, OFFSET, length));
        final RelayBindFlyweight bind = decoder.relayBind();
        assertTrue(bind.isBind());
        assertEquals((v.u8() & RelayBindFlyweight.REFRESH) != 0, bind.hasFlag(RelayBindFlyweight.REFRESH));
        assertRelayBindFields(v, bind, Arrays.copyOf(source.byteArray(), RelayBindFlyweight.TOKEN_LENGTH));
    }

    private void assertRelayBindFields(final RoundTripValues v, final RelayBindFlyweight view, final byte[] token)
    {
        assertEquals(v.u8(), view.flags());
        assertEquals(v.u64(), view.sessionId());
        assertEquals(~v.u64(), view.expiry());
        assertEquals(v.id(), view.senderId());
        assertEquals(v.otherId(), view.otherPeerId());
        assertTrue(v.id().equalsAt(buffer, view.senderIdOffset()));
        assertTrue(v.otherId().equalsAt(buffer, view.otherPeerIdOffset()));
        assertEquals(v.endpoint(), view.readRelayEndpoint(endpoint));
        assertEquals(OFFSET + RelayBindFlyweight.RELAY_ENDPOINT_OFFSET, view.relayEndpointOffset());
        final byte[] copy = new byte[RelayBindFlyweight.TOKEN_LENGTH];
        view.getToken(copy);
        assertTrue(Arrays.equals(token, copy));
        final UnsafeBuffer copied = new UnsafeBuffer(new byte[RelayBindFlyweight.TOKEN_LENGTH]);
        view.getToken(copied, 0);
        assertTrue(Arrays.equals(token, copied.byteArray()));
        assertEquals(OFFSET + RelayBindFlyweight.TOKEN_OFFSET, view.tokenOffset());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void relayBindAckCarriesStatusLegsSessionAndChannel(final RoundTripValues v)
    {
        final int length = new RelayBindAckFlyweight().wrapForRelayBindAck(buffer, OFFSET).status(v.u16())
            .legs(v.u16() ^ 1).sessionId(v.u64()).channelId((int)v.u32()).frameLength();

        assertEquals(RelayBindAckFlyweight.LENGTH, length);
        assertEquals(MessageType.RELAY_BIND_ACK, decoder.decode(buffer, OFFSET, length));
        final RelayBindAckFlyweight ack = decoder.relayBindAck();
        assertEquals(v.u16(), ack.status());
        assertEquals(v.u16() ^ 1, ack.legs());
        assertEquals(v.u64(), ack.sessionId());
        assertEquals((int)v.u32(), ack.channelId());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void relayDataCarriesAnyNonZeroChannelAndTheLargestPayload(final int channelId)
    {
        final RelayDataFlyweight encoder = new RelayDataFlyweight()
            .wrapForRelayData(buffer, OFFSET, RelayDataFlyweight.MAX_PAYLOAD_LENGTH).channelId(channelId);
        encoder.putPayload(source, 0);
        final int length = encoder.frameLength();

        assertEquals(FrameHeader.MAX_FRAME_LENGTH, length);
        assertEquals(MessageType.RELAY_DATA, decoder.decode(buffer, OFFSET, length));
        final RelayDataFlyweight relayData = decoder.relayData();
        assertEquals(channelId, relayData.channelId());
        assertEquals(RelayDataFlyweight.MAX_PAYLOAD_LENGTH, relayData.payloadLength());
        assertEquals(OFFSET + RelayDataFlyweight.PAYLOAD_OFFSET, relayData.payloadOffset());
        assertEquals(source.getByte(RelayDataFlyweight.MAX_PAYLOAD_LENGTH - 1),
            buffer.getByte(relayData.payloadOffset() + relayData.payloadLength() - 1));
    }

    @Test
    void relayDataMayBeEmpty()
    {
        final int length = new RelayDataFlyweight().wrapForRelayData(buffer, OFFSET, 0).channelId(7).frameLength();

        assertEquals(RelayDataFlyweight.PAYLOAD_OFFSET, length);
        assertEquals(MessageType.RELAY_DATA, decoder.decode(buffer, OFFSET, length));
        assertEquals(0, decoder.relayData().payloadLength());
    }
}
