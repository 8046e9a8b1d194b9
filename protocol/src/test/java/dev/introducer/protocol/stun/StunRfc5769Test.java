package dev.introducer.protocol.stun;

import static dev.introducer.protocol.stun.StunTestSupport.exact;
import static dev.introducer.protocol.stun.StunTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.introducer.protocol.DecodeResult;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.MessageType;

/**
 * The codec against the sample messages of RFC 5769 ("Test Vectors for STUN"), byte for byte.
 */
class StunRfc5769Test
{
    /** §2.1: short-term credential password of the samples. */
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final byte[] TRANSACTION_ID = hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /** §2.1 Sample Request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
    static final byte[] REQUEST = hex(
        "00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +
        "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74" +
        "00 24 00 04 6e 00 01 ff" +
        "80 29 00 08 93 2f f9 b1 51 26 3b 36" +
        "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20" +
        "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2" +
        "80 28 00 04 e5 7a 3b cf");

    /** §2.2 Sample IPv4 Response: 192.0.2.1 port 32853. */
    static final byte[] IPV4_RESPONSE = hex(
        "01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20" +
        "00 20 00 08 00 01 a1 47 e1 12 a6 43" +
        "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7" +
        "80 28 00 04 c0 7d 4c 96");

    /** §2.3 Sample IPv6 Response: 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
    static final byte[] IPV6_RESPONSE = hex(
        "01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae" +
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20" +
        "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9" +
        "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41" +
        "80 28 00 04 c8 fb 0b 4c");

    static final Endpoint IPV4_MAPPED = Endpoint.ipv4(0xC000_0201, 32853);
    static final Endpoint IPV6_MAPPED = new Endpoint().setIpv6(0x2001_0DB8_1234_5678L, 0x0011_2233_4455_6677L, 32853);

    private final FrameDecoder decoder = new FrameDecoder();
    private final Endpoint endpoint = new Endpoint();

    private StunMessageFlyweight decodeStun(final byte[] message)
    {
        assertEquals(MessageType.STUN, decoder.decode(exact(message), 0, message.length));
        return decoder.stun();
    }

    @Test
    void theSampleRequestIsABindingRequestWithAValidFingerprint()
    {
        final StunMessageFlyweight request = decodeStun(REQUEST);

        assertTrue(request.isBindingRequest());
        assertEquals(StunMessageFlyweight.CLASS_REQUEST, request.messageClass());
        assertEquals(StunMessageFlyweight.METHOD_BINDING, request.method());
        final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
        request.getTransactionId(transactionId, 0);
        assertArrayEquals(TRANSACTION_ID, transactionId.byteArray());
        assertTrue(request.hasFingerprint());
        assertEquals("evtj:h6vY", string(request, request.usernameOffset(), request.usernameLength()));
        assertEquals("STUN test client", string(request, request.softwareOffset(), request.softwareLength()));
    }

    @Test
    void aPlainBindingServerDoesNotUnderstandTheSampleRequestsIcePriority()
    {
        final StunMessageFlyweight request = decodeStun(REQUEST);

        // PRIORITY (0x0024) is comprehension-required and ICE's, not STUN's; ICE-CONTROLLED (0x8029) is optional.
        assertEquals(1, request.unknownAttributeCount());
        assertEquals(0x0024, request.unknownAttribute(0));
    }

    @Test
    void theSampleRequestsMessageIntegrityIsWhereTheFlyweightSays() throws Exception
    {
        final StunMessageFlyweight request = decodeStun(REQUEST);
        final int integrity = request.messageIntegrityOffset();
        assertEquals(REQUEST.length - 32, integrity);

        // The HMAC covers the message up to MESSAGE-INTEGRITY, with a length that ends after it.
        final byte[] covered = Arrays.copyOf(REQUEST, integrity);
        covered[3] = (byte)(integrity + 24 - 20);
        final Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertArrayEquals(Arrays.copyOfRange(REQUEST, integrity + 4, integrity + 24), mac.doFinal(covered));
    }

    @Test
    void theIpv4SampleResponseDecodesToItsMappedAddress()
    {
        final StunMessageFlyweight response = decodeStun(IPV4_RESPONSE);

        assertEquals(StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, response.messageClass());
        assertEquals(StunMessageFlyweight.METHOD_BINDING, response.method());
        assertTrue(response.hasFingerprint());
        assertTrue(response.hasXorMappedAddress());
        assertEquals(IPV4_MAPPED, response.readXorMappedAddress(endpoint));
        assertEquals("192.0.2.1:32853", endpoint.toString());
    }

    @Test
    void theIpv6SampleResponseDecodesToItsMappedAddress()
    {
        final StunMessageFlyweight response = decodeStun(IPV6_RESPONSE);

        assertTrue(response.hasFingerprint());
        assertEquals(IPV6_MAPPED, response.readXorMappedAddress(endpoint));
        assertEquals(Endpoint.parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853"), endpoint);
    }

    @Test
    void ourEncoderReproducesTheIpv4SampleResponseByteForByte()
    {
        assertArrayEquals(IPV4_RESPONSE, encodeSampleResponse(IPV4_MAPPED));
    }

    @Test
    void ourEncoderReproducesTheIpv6SampleResponseByteForByte()
    {
        assertArrayEquals(IPV6_RESPONSE, encodeSampleResponse(IPV6_MAPPED));
    }

    private static byte[] encodeSampleResponse(final Endpoint mapped)
    {
        // SOFTWARE is the 11 bytes "test vector" (length 0x0b); the twelfth byte, a space, is padding, which RFC
        // 8489 lets a sender choose (receivers ignore it) and which MESSAGE-INTEGRITY and FINGERPRINT cover.
        final StunBindingResponder responder = new StunBindingResponder()
            .software("test vector")
            .paddingByte((byte)' ')
            .messageIntegrityKey(PASSWORD.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[StunBindingResponder.MAX_RESPONSE_LENGTH + 3]);
        out.setMemory(0, out.capacity(), (byte)0x5A);
        final int length = responder.encodeSuccess(new UnsafeBuffer(TRANSACTION_ID), 0, mapped, out, 3);
        return Arrays.copyOfRange(out.byteArray(), 3, 3 + length);
    }

    @Test
    void aCorruptedFingerprintMakesEachSampleMalformed()
    {
        for (final byte[] sample : new byte[][]{REQUEST, IPV4_RESPONSE, IPV6_RESPONSE})
        {
            final byte[] badCrc = sample.clone();
            badCrc[badCrc.length - 1] ^= 1;
            assertEquals(DecodeResult.ERR_STUN_MALFORMED,
                decoder.decode(exact(badCrc), 0, badCrc.length));

            final byte[] badBody = sample.clone();
            badBody[25] ^= 0x10;
            assertEquals(DecodeResult.ERR_STUN_MALFORMED,
                decoder.decode(exact(badBody), 0, badBody.length));
        }
    }

    private static String string(final StunMessageFlyweight message, final int offset, final int length)
    {
        return message.buffer().getStringWithoutLengthAscii(offset, length);
    }

    static int u16(final byte[] bytes, final int offset)
    {
        return new UnsafeBuffer(bytes).getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
