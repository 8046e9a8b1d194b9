package dev.introducer.protocol.stun;

import static dev.introducer.protocol.stun.StunTestSupport.BIG;
import static dev.introducer.protocol.stun.StunTestSupport.exact;
import static dev.introducer.protocol.stun.StunTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.introducer.protocol.DecodeResult;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.MessageType;

/**
 * The STUN parser's rules for well-formed messages (RFC 8489 §5, §14).
 */
class StunMessageFlyweightTest
{
    private static final byte[] TRANSACTION_ID = hex("01 02 03 04 05 06 07 08 09 0a 0b 0c");
    private static final int BINDING_REQUEST = 0x0001;

    private final FrameDecoder decoder = new FrameDecoder();

    private int decode(final byte[] message)
    {
        return decoder.decode(exact(message), 0, message.length);
    }

    private static StunTestSupport.Builder request()
    {
        return new StunTestSupport.Builder(BINDING_REQUEST, TRANSACTION_ID);
    }

    @Test
    void aHeaderAloneIsABindingRequestWithoutFingerprint()
    {
        assertEquals(MessageType.STUN, decode(request().build()));
        assertTrue(decoder.stun().isBindingRequest());
        assertFalse(decoder.stun().hasFingerprint());
        assertFalse(decoder.stun().hasXorMappedAddress());
        assertEquals(-1, decoder.stun().messageIntegrityOffset());
        assertEquals(0, decoder.stun().unknownAttributeCount());
    }

    @Test
    void classAndMethodAreInterleavedInTheMessageType()
    {
        assertEquals(0x0001, StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_REQUEST, 1));
        assertEquals(0x0011, StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_INDICATION, 1));
        assertEquals(0x0101, StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, 1));
        assertEquals(0x0111, StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_ERROR_RESPONSE, 1));
        assertEquals(0x3FFF, StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_ERROR_RESPONSE, 0xFFF));

        final int type = StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_ERROR_RESPONSE, 0xABC);
        assertEquals(MessageType.STUN, decode(new StunTestSupport.Builder(type, TRANSACTION_ID).build()));
        assertEquals(StunMessageFlyweight.CLASS_ERROR_RESPONSE, decoder.stun().messageClass());
        assertEquals(0xABC, decoder.stun().method());
        assertEquals(type, decoder.stun().messageType());
        assertFalse(decoder.stun().isBindingRequest());
    }

    @Test
    void theLengthFieldMustBeAMultipleOf4AndMatchTheDatagram()
    {
        final byte[] message = request().attribute(StunAttribute.SOFTWARE, new byte[8]).build();
        for (final int length : new int[]{0, 4, 10, 11, 13, 16, 0xFFFF})
        {
            final UnsafeBuffer buffer = exact(message);
            buffer.putShort(2, (short)length, BIG);
            assertEquals(DecodeResult.ERR_STUN_MALFORMED, decoder.decode(buffer, 0, message.length), "len " + length);
        }
        assertEquals(MessageType.STUN, decode(message));
    }

    @Test
    void aCookieWithAShortHeaderIsMalformed()
    {
        final byte[] message = request().build();
        for (int length = 8; length < 20; length++)
        {
            assertEquals(DecodeResult.ERR_STUN_MALFORMED, decoder.decode(exact(message), 0, length));
        }
    }

    @Test
    void anAttributeRunningPastTheEndIsMalformed()
    {
        final byte[] message = request().attribute(StunAttribute.SOFTWARE, new byte[8]).build();
        final UnsafeBuffer buffer = exact(message);
        buffer.putShort(22, (short)9, BIG);
        assertEquals(DecodeResult.ERR_STUN_MALFORMED, decoder.decode(buffer, 0, message.length));
        buffer.putShort(22, (short)0xFFFF, BIG);
        assertEquals(DecodeResult.ERR_STUN_MALFORMED, decoder.decode(buffer, 0, message.length));
    }

    @Test
    void fingerprintMustBeTheLastAttribute()
    {
        final byte[] fingerprinted = request().withFingerprint();
        final byte[] message = new byte[fingerprinted.length + 4];
        System.arraycopy(fingerprinted, 0, message, 0, fingerprinted.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        buffer.putShort(2, (short)(message.length - 20), BIG);
        buffer.putShort(fingerprinted.length, (short)StunAttribute.SOFTWARE, BIG);
        assertEquals(DecodeResult.ERR_STUN_MALFORMED, decoder.decode(buffer, 0, message.length));
    }

    @Test
    void knownAttributesWithImpossibleLengthsOrFamiliesAreMalformed()
    {
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 03 00 01 01 02 03 04")).build()));
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 01 00 01 01 02 03 04 05")).build()));
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 02 00 01 01 02 03 04")).build()));
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 01")).build()));
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.MESSAGE_INTEGRITY, new byte[19]).build()));
        assertEquals(DecodeResult.ERR_STUN_MALFORMED,
            decode(request().attribute(StunAttribute.FINGERPRINT, new byte[8]).build()));
    }

    @Test
    void comprehensionOptionalAndUnderstoodAttributesAreNotUnknown()
    {
        final byte[] message = request()
            .attribute(StunAttribute.ALTERNATE_SERVER, new byte[8])
            .attribute(0xFFFF, new byte[1])
            .attribute(StunAttribute.USERNAME, new byte[5])
            .attribute(StunAttribute.REALM, new byte[3])
            .attribute(StunAttribute.NONCE, new byte[3])
            .attribute(StunAttribute.MAPPED_ADDRESS, new byte[8])
            .attribute(StunAttribute.USERHASH, new byte[32])
            .attribute(StunAttribute.PASSWORD_ALGORITHM, new byte[4])
            .attribute(StunAttribute.MESSAGE_INTEGRITY_SHA256, new byte[32])
            .attribute(StunAttribute.ERROR_CODE, new byte[4])
            .attribute(StunAttribute.UNKNOWN_ATTRIBUTES, new byte[2])
            .attribute(0x0000, new byte[0])
            .withFingerprint();

        assertEquals(MessageType.STUN, decode(message));
        assertEquals(1, decoder.stun().unknownAttributeCount(), "only the reserved type 0x0000");
        assertEquals(0x0000, decoder.stun().unknownAttribute(0));
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.stun().unknownAttribute(1));
    }

    @Test
    void onlyTheFirstXorMappedAddressCounts()
    {
        final byte[] message = new StunTestSupport.Builder(0x0101, TRANSACTION_ID)
            .attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 01 a1 47 e1 12 a6 43"))
            .attribute(StunAttribute.XOR_MAPPED_ADDRESS, hex("00 01 00 00 00 00 00 00"))
            .withFingerprint();
        assertEquals(MessageType.STUN, decode(message));
        assertEquals("192.0.2.1:32853", decoder.stun().readXorMappedAddress(new Endpoint())
            .toString());
    }
}
