package dev.introducer.protocol.stun;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * Answers STUN Binding requests (RFC 8489 §6.3): a success response with the requester's XOR-MAPPED-ADDRESS, or a
 * 420 (Unknown Attribute) error response listing the comprehension-required attributes it did not understand.
 * Every answer ends with FINGERPRINT. The answers are no longer than needed and never carry more than an address,
 * so a Binding server built on this is not an amplifier beyond STUN's own ratio.
 * <p>
 * Optional, and off by default: a SOFTWARE attribute, and MESSAGE-INTEGRITY (HMAC-SHA1) with a configured key. The
 * RFC 5769 sample responses use both, and pad SOFTWARE with spaces, which {@link #paddingByte(byte)} allows.
 * <p>
 * Encoding allocates nothing, except with MESSAGE-INTEGRITY on, where {@code javax.crypto} may. Not thread-safe:
 * one instance per thread.
 * <pre>
 * success (0x0101): header | [SOFTWARE] | XOR-MAPPED-ADDRESS | [MESSAGE-INTEGRITY] | FINGERPRINT
 * 420     (0x0111): header | [SOFTWARE] | ERROR-CODE 420 | UNKNOWN-ATTRIBUTES | [MESSAGE-INTEGRITY] | FINGERPRINT
 * </pre>
 */
public final class StunBindingResponder
{
    /** The error code of an answer to a request with unknown comprehension-required attributes. */
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;
    /** The reason phrase of {@link #ERROR_UNKNOWN_ATTRIBUTE}. */
    public static final String UNKNOWN_ATTRIBUTE_REASON = "Unknown Attribute";
    /** The longest SOFTWARE value RFC 8489 allows. */
    public static final int MAX_SOFTWARE_LENGTH = 763;
    /** An output buffer of this many bytes holds any answer. */
    public static final int MAX_RESPONSE_LENGTH = 512 + MAX_SOFTWARE_LENGTH;

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final byte[] UNKNOWN_ATTRIBUTE_REASON_BYTES =
        UNKNOWN_ATTRIBUTE_REASON.getBytes(StandardCharsets.US_ASCII);
    private static final int SUCCESS_TYPE = StunMessageFlyweight.messageType(
        StunMessageFlyweight.CLASS_SUCCESS_RESPONSE, StunMessageFlyweight.METHOD_BINDING);
    private static final int ERROR_TYPE = StunMessageFlyweight.messageType(
        StunMessageFlyweight.CLASS_ERROR_RESPONSE, StunMessageFlyweight.METHOD_BINDING);

    private final byte[] integrity = new byte[StunAttribute.MESSAGE_INTEGRITY_LENGTH];
    private byte[] software;
    private byte paddingByte;
    private Mac mac;
    private byte[] scratch;

    /**
     * Sets the SOFTWARE attribute to add to every answer.
     *
     * @param software UTF-8 text up to {@link #MAX_SOFTWARE_LENGTH} bytes, or null for none.
     * @return this.
     * @throws IllegalArgumentException when the text is too long.
     */
    public StunBindingResponder software(final String software)
    {
        if (software == null)
        {
            this.software = null;
            return this;
        }
        final byte[] bytes = software.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SOFTWARE_LENGTH)
        {
            throw new IllegalArgumentException("SOFTWARE is at most 763 bytes, got " + bytes.length);
        }
        this.software = bytes;
        return this;
    }

    /**
     * Sets the byte that pads attribute values to 4 bytes. RFC 8489 asks for zero and receivers ignore it; RFC 5769's
     * samples use a space.
     *
     * @param paddingByte the byte, 0 by default.
     * @return this.
     */
    public StunBindingResponder paddingByte(final byte paddingByte)
    {
        this.paddingByte = paddingByte;
        return this;
    }

    /**
     * Turns MESSAGE-INTEGRITY (HMAC-SHA1) on or off for every answer. With the short-term credential mechanism the
     * key is the (SASLprep'd) password.
     *
     * @param key the HMAC key, or null for no MESSAGE-INTEGRITY.
     * @return this.
     * @throws IllegalStateException when the JVM has no HmacSHA1.
     */
    public StunBindingResponder messageIntegrityKey(final byte[] key)
    {
        if (key == null)
        {
            mac = null;
            return this;
        }
        try
        {
            final Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac = hmac;
            scratch = new byte[MAX_RESPONSE_LENGTH];
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA1 is not available", ex);
        }
        return this;
    }

    /**
     * Writes the answer to a decoded message: nothing unless it is a Binding request; a 420 when it carried
     * comprehension-required attributes this codec does not understand; else a success response with the source
     * as the mapped address.
     *
     * @param request   a message that {@link StunMessageFlyweight#wrap} accepted.
     * @param source    the endpoint the request came from, as observed on the socket.
     * @param out       to write to; {@link #MAX_RESPONSE_LENGTH} bytes hold any answer. May be the request's own
     *                  buffer and offset (answer in place), but must not otherwise overlap it.
     * @param outOffset where.
     * @return the answer's length, or 0 for no answer.
     */
    public int respond(
        final StunMessageFlyweight request, final Endpoint source, final MutableDirectBuffer out, final int outOffset)
    {
        if (!request.isBindingRequest())
        {
            return 0;
        }
        if (request.unknownAttributeCount() > 0)
        {
            return encodeUnknownAttributeError(request, out, outOffset);
        }
        if (source.isNone())
        {
            return 0;
        }
        return encodeSuccess(request.buffer(), request.transactionIdOffset(), source, out, outOffset);
    }

    /**
     * Encodes a Binding success response.
     *
     * @param transactionIdBuffer the request's transaction id is in.
     * @param transactionIdOffset absolute offset of the 12-byte transaction id.
     * @param mapped              the requester's endpoint, IPv4 or IPv6.
     * @param out                 to write to.
     * @param outOffset           where.
     * @return the response's length.
     */
    public int encodeSuccess(
        final DirectBuffer transactionIdBuffer,
        final int transactionIdOffset,
        final Endpoint mapped,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        int position = StunWriter.header(out, outOffset, SUCCESS_TYPE, transactionIdBuffer, transactionIdOffset);
        position = putSoftware(out, position);
        position = StunWriter.xorMappedAddress(out, outOffset, position, mapped);
        return finish(out, outOffset, position);
    }

    /**
     * Encodes a Binding 420 error response listing the request's unknown comprehension-required attributes.
     *
     * @param request   a message that {@link StunMessageFlyweight#wrap} accepted.
     * @param out       to write to.
     * @param outOffset where.
     * @return the response's length.
     */
    public int encodeUnknownAttributeError(
        final StunMessageFlyweight request, final MutableDirectBuffer out, final int outOffset)
    {
        int position = StunWriter.header(out, outOffset, ERROR_TYPE, request.buffer(), request.transactionIdOffset());
        position = putSoftware(out, position);

        final int reasonLength = UNKNOWN_ATTRIBUTE_REASON_BYTES.length;
        int value = StunWriter.attributeHeader(out, position, StunAttribute.ERROR_CODE, 4 + reasonLength);
        out.putShort(value, (short)0, BIG);
        out.putByte(value + 2, (byte)(ERROR_UNKNOWN_ATTRIBUTE / 100));
        out.putByte(value + 3, (byte)(ERROR_UNKNOWN_ATTRIBUTE % 100));
        out.putBytes(value + 4, UNKNOWN_ATTRIBUTE_REASON_BYTES);
        position = StunWriter.pad(out, value, value + 4 + reasonLength, paddingByte);

        final int count = request.unknownAttributeCount();
        value = StunWriter.attributeHeader(out, position, StunAttribute.UNKNOWN_ATTRIBUTES, 2 * count);
        for (int i = 0; i < count; i++)
        {
            out.putShort(value + 2 * i, (short)request.unknownAttribute(i), BIG);
        }
        position = StunWriter.pad(out, value, value + 2 * count, paddingByte);
        return finish(out, outOffset, position);
    }

    private int putSoftware(final MutableDirectBuffer out, final int position)
    {
        if (software == null)
        {
            return position;
        }
        final int value = StunWriter.attributeHeader(out, position, StunAttribute.SOFTWARE, software.length);
        out.putBytes(value, software);
        return StunWriter.pad(out, value, value + software.length, paddingByte);
    }

    private int finish(final MutableDirectBuffer out, final int outOffset, final int position)
    {
        int end = position;
        if (mac != null)
        {
            end = putMessageIntegrity(out, outOffset, position);
        }
        return StunWriter.fingerprint(out, outOffset, end);
    }

    private int putMessageIntegrity(final MutableDirectBuffer out, final int outOffset, final int position)
    {
        // The HMAC covers the message up to MESSAGE-INTEGRITY, with a length field that already counts it.
        final int value = position + StunAttribute.HEADER_LENGTH;
        StunWriter.length(out, outOffset, value + StunAttribute.MESSAGE_INTEGRITY_LENGTH);
        final int covered = position - outOffset;
        out.getBytes(outOffset, scratch, 0, covered);
        mac.update(scratch, 0, covered);
        try
        {
            mac.doFinal(integrity, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
        StunWriter.attributeHeader(
            out, position, StunAttribute.MESSAGE_INTEGRITY, StunAttribute.MESSAGE_INTEGRITY_LENGTH);
        out.putBytes(value, integrity);
        return value + StunAttribute.MESSAGE_INTEGRITY_LENGTH;
    }
}
