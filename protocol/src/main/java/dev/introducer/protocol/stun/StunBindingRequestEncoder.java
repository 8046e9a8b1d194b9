package dev.introducer.protocol.stun;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a plain Binding request: header and FINGERPRINT, no credentials. What a client sends to a STUN server
 * to learn its mapped address, and what tests and benchmarks feed a {@link StunBindingResponder}.
 */
public final class StunBindingRequestEncoder
{
    /** Length of the request. */
    public static final int LENGTH = StunMessageFlyweight.HEADER_LENGTH + StunAttribute.HEADER_LENGTH +
        StunAttribute.FINGERPRINT_LENGTH;

    private StunBindingRequestEncoder()
    {
    }

    /**
     * Encodes a Binding request.
     *
     * @param transactionIdBuffer the 12-byte transaction id is in (choose it at random per request).
     * @param transactionIdOffset of the transaction id.
     * @param out                 to write to; needs {@link #LENGTH} bytes.
     * @param outOffset           where.
     * @return the request's length, {@link #LENGTH}.
     */
    public static int encode(
        final DirectBuffer transactionIdBuffer,
        final int transactionIdOffset,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        final int position = StunWriter.header(
            out,
            outOffset,
            StunMessageFlyweight.messageType(StunMessageFlyweight.CLASS_REQUEST, StunMessageFlyweight.METHOD_BINDING),
            transactionIdBuffer,
            transactionIdOffset);
        return StunWriter.fingerprint(out, outOffset, position);
    }
}
