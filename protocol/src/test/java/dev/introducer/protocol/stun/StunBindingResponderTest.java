package dev.introducer.protocol.stun;

import static dev.introducer.protocol.stun.StunTestSupport.exact;
import static dev.introducer.protocol.stun.StunTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.MessageType;

/**
 * What a Binding server built on {@link StunBindingResponder} answers.
 */
class StunBindingResponderTest
{
    private static final byte[] TRANSACTION_ID = hex("00 11 22 33 44 55 66 77 88 99 aa bb");
    private static final int BINDING_REQUEST = 0x0001;

    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder answerDecoder = new FrameDecoder();
    private final StunBindingResponder responder = new StunBindingResponder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[StunBindingResponder.MAX_RESPONSE_LENGTH]);
    private final Endpoint endpoint = new Endpoint();

    private StunMessageFlyweight decodeRequest(final byte[] message)
    {
        assertEquals(MessageType.STUN, decoder.decode(exact(message), 0, message.length));
        return decoder.stun();
    }

    private StunMessageFlyweight decodeAnswer(final int length)
    {
        final byte[] answer = Arrays.copyOf(out.byteArray(), length);
        assertEquals(MessageType.STUN, answerDecoder.decode(exact(answer), 0, length));
        final StunMessageFlyweight message = answerDecoder.stun();
        final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
        message.getTransactionId(transactionId, 0);
        assertArrayEquals(TRANSACTION_ID, transactionId.byteArray());
        assertTrue(message.hasFingerprint());
        return message;
    }

    @Test
    void aPlainBindingRequestGetsTheSourceEndpointBack()
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[StunBindingRequestEncoder.LENGTH]);
        final int requestLength = StunBindingRequestEncoder.encode(new UnsafeBuffer(TRANSACTION_ID), 0, request, 0);
        assertEquals(MessageType.STUN, decoder.decode(request, 0, requestLength));
        assertTrue(decoder.stun().isBindingRequest());
        assertTrue(decoder.stun().hasFingerprint());

        final Endpoint source = Endpoint.ipv4(0xCB00_7107, 50_000);
        final int length = responder.respond(decoder.stun(), source, out, 0);

        assertEquals(20 + 12 + 8, length);
        final StunMessageFlyweight answer = decodeAnswer(length);
        assertEquals(StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, answer.messageClass());
        assertEquals(StunMessageFlyweight.METHOD_BINDING, answer.method());
        assertEquals(source, answer.readXorMappedAddress(endpoint));
    }

    @Test
    void anIpv6SourceGetsAnIpv6MappedAddress()
    {
        final Endpoint source = Endpoint.parse("[2001:db8::beef]:443");
        final int length = responder.respond(
            decodeRequest(new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID).build()), source, out, 0);

        assertEquals(20 + 24 + 8, length);
        assertEquals(source, decodeAnswer(length).readXorMappedAddress(endpoint));
    }

    @Test
    void softwareIsAddedWhenConfigured()
    {
        responder.software("introducer");
        final int length = responder.respond(
            decodeRequest(new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID).build()),
            Endpoint.ipv4(1, 2), out, 0);

        final StunMessageFlyweight answer = decodeAnswer(length);
        assertEquals("introducer", answer.buffer().getStringWithoutLengthAscii(
            answer.softwareOffset(), answer.softwareLength()));
        assertEquals(0, answer.buffer().getByte(answer.softwareOffset() + 10), "zero padding by default");
    }

    @Test
    void unknownComprehensionRequiredAttributesGetA420ListingThem()
    {
        final byte[] request = new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttribute.SOFTWARE, "client".getBytes(StandardCharsets.US_ASCII))
            .attribute(0x0025, new byte[0])
            .attribute(0x8029, new byte[8])
            .attribute(0x7FFF, new byte[]{1, 2, 3})
            .attribute(0x0025, new byte[0])
            .withFingerprint();

        final int length = responder.respond(decodeRequest(request), Endpoint.ipv4(1, 2), out, 0);

        final StunMessageFlyweight answer = decodeAnswer(length);
        assertEquals(StunMessageFlyweight.CLASS_ERROR_RESPONSE, answer.messageClass());
        assertEquals(StunMessageFlyweight.METHOD_BINDING, answer.method());
        assertFalse(answer.hasXorMappedAddress());
        final byte[] expected = hex(
            "00 09 00 15 00 00 04 14" + hexOf("Unknown Attribute") + "00 00 00" +
            "00 0a 00 04 00 25 7f ff");
        assertArrayEquals(expected, Arrays.copyOfRange(out.byteArray(), 20, 20 + expected.length));
        assertEquals(20 + expected.length + 8, length);
    }

    @Test
    void a420ListsAtMostEightUnknownAttributes()
    {
        final StunTestSupport.Builder builder = new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID);
        for (int type = 0x0100; type < 0x010A; type++)
        {
            builder.attribute(type, new byte[4]);
        }
        final StunMessageFlyweight request = decodeRequest(builder.withFingerprint());
        assertEquals(StunMessageFlyweight.MAX_UNKNOWN_ATTRIBUTES, request.unknownAttributeCount());

        final int length = responder.respond(request, Endpoint.ipv4(1, 2), out, 0);
        decodeAnswer(length);
        assertEquals(StunAttribute.UNKNOWN_ATTRIBUTES, StunRfc5769Test.u16(out.byteArray(), 48));
        assertEquals(16, StunRfc5769Test.u16(out.byteArray(), 50));
        assertEquals(0x0107, StunRfc5769Test.u16(out.byteArray(), 52 + 14));
    }

    @Test
    void onlyBindingRequestsAreAnswered()
    {
        final int[] notAnswered = {
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_INDICATION, 1),
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, 1),
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_ERROR_RESPONSE, 1),
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_REQUEST, 0x003),
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_REQUEST, 0xFFF)};
        for (final int type : notAnswered)
        {
            final byte[] message = new StunTestSupport.Builder(type, TRANSACTION_ID).withFingerprint();
            assertEquals(0, responder.respond(decodeRequest(message), Endpoint.ipv4(1, 2), out, 0), "type " + type);
        }
    }

    @Test
    void noAnswerWithoutASourceEndpoint()
    {
        final StunMessageFlyweight request =
            decodeRequest(new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID).build());
        assertEquals(0, responder.respond(request, new Endpoint(), out, 0));
    }

    @Test
    void theAnswerCanBeWrittenOverTheRequest()
    {
        final byte[] message = new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttribute.SOFTWARE, new byte[40]).withFingerprint();
        final Endpoint source = Endpoint.ipv4(0x0A01_0203, 9);
        final int expectedLength = responder.respond(decodeRequest(message), source, out, 0);
        final byte[] expected = Arrays.copyOf(out.byteArray(), expectedLength);

        final UnsafeBuffer inPlace = new UnsafeBuffer(Arrays.copyOf(message, 512));
        assertEquals(MessageType.STUN, decoder.decode(inPlace, 0, message.length));
        final int length = responder.respond(decoder.stun(), source, inPlace, 0);

        assertArrayEquals(expected, Arrays.copyOf(inPlace.byteArray(), length));
    }

    private static String hexOf(final String text)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : text.getBytes(StandardCharsets.US_ASCII))
        {
            sb.append(String.format("%02x ", b));
        }
        return sb.toString();
    }
}
