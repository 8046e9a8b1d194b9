package dev.introducer.protocol.stun;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * The encoding steps every STUN message this package writes shares: header, attribute headers, padding,
 * XOR-MAPPED-ADDRESS, and the final length and FINGERPRINT. Positions are absolute offsets in the output buffer.
 */
final class StunWriter
{
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private StunWriter()
    {
    }

    /**
     * Writes a header with length 0 and a transaction id copied from another buffer (which may be the same range).
     *
     * @return the position after the header.
     */
    static int header(
        final MutableDirectBuffer out,
        final int messageOffset,
        final int messageType,
        final DirectBuffer transactionIdBuffer,
        final int transactionIdOffset)
    {
        out.putShort(messageOffset + StunMessageFlyweight.TYPE_OFFSET, (short)messageType, BIG);
        out.putShort(messageOffset + StunMessageFlyweight.LENGTH_OFFSET, (short)0, BIG);
        out.putInt(messageOffset + StunMessageFlyweight.COOKIE_OFFSET, StunMessageFlyweight.MAGIC_COOKIE, BIG);
        out.putBytes(
            messageOffset + StunMessageFlyweight.TRANSACTION_ID_OFFSET,
            transactionIdBuffer,
            transactionIdOffset,
            StunMessageFlyweight.TRANSACTION_ID_LENGTH);
        return messageOffset + StunMessageFlyweight.HEADER_LENGTH;
    }

    /**
     * Writes an attribute's type and length.
     *
     * @return the position of the value.
     */
    static int attributeHeader(final MutableDirectBuffer out, final int position, final int type, final int length)
    {
        out.putShort(position, (short)type, BIG);
        out.putShort(position + 2, (short)length, BIG);
        return position + StunAttribute.HEADER_LENGTH;
    }

    /**
     * Pads a value that ends at {@code valueEnd} to the next 4-byte boundary of the message.
     *
     * @return the position after the padding.
     */
    static int pad(final MutableDirectBuffer out, final int valueStart, final int valueEnd, final byte paddingByte)
    {
        final int end = valueStart + StunAttribute.padded(valueEnd - valueStart);
        for (int i = valueEnd; i < end; i++)
        {
            out.putByte(i, paddingByte);
        }
        return end;
    }

    /**
     * Writes an XOR-MAPPED-ADDRESS for an IPv4 or IPv6 endpoint. The header (cookie and transaction id) must
     * already be written: IPv6 addresses are XORed with it.
     *
     * @return the position after the attribute.
     */
    static int xorMappedAddress(
        final MutableDirectBuffer out, final int messageOffset, final int position, final Endpoint endpoint)
    {
        final boolean ipv6 = endpoint.family() == Endpoint.FAMILY_IPV6;
        final int value = attributeHeader(out, position, StunAttribute.XOR_MAPPED_ADDRESS, ipv6 ? 20 : 8);
        out.putByte(value, (byte)0);
        out.putByte(value + 1, (byte)(ipv6 ? StunAttribute.ADDRESS_FAMILY_IPV6 : StunAttribute.ADDRESS_FAMILY_IPV4));
        out.putShort(value + 2, (short)(endpoint.port() ^ (StunMessageFlyweight.MAGIC_COOKIE >>> 16)), BIG);
        if (!ipv6)
        {
            out.putInt(value + 4, endpoint.ipv4() ^ StunMessageFlyweight.MAGIC_COOKIE, BIG);
            return value + 8;
        }
        final int cookie = messageOffset + StunMessageFlyweight.COOKIE_OFFSET;
        out.putLong(value + 4, endpoint.addressHigh() ^ out.getLong(cookie, BIG), BIG);
        out.putLong(value + 12, endpoint.addressLow() ^ out.getLong(cookie + 8, BIG), BIG);
        return value + 20;
    }

    /**
     * Sets the header's length field as if the message ended at {@code end}.
     */
    static void length(final MutableDirectBuffer out, final int messageOffset, final int end)
    {
        out.putShort(
            messageOffset + StunMessageFlyweight.LENGTH_OFFSET,
            (short)(end - messageOffset - StunMessageFlyweight.HEADER_LENGTH),
            BIG);
    }

    /**
     * Appends FINGERPRINT as the last attribute and sets the final length.
     *
     * @return the message's total length.
     */
    static int fingerprint(final MutableDirectBuffer out, final int messageOffset, final int position)
    {
        final int end = position + StunAttribute.HEADER_LENGTH + StunAttribute.FINGERPRINT_LENGTH;
        length(out, messageOffset, end);
        final int crc = Crc32.compute(out, messageOffset, position - messageOffset);
        final int value = attributeHeader(out, position, StunAttribute.FINGERPRINT, StunAttribute.FINGERPRINT_LENGTH);
        out.putInt(value, crc ^ StunAttribute.FINGERPRINT_XOR, BIG);
        return end - messageOffset;
    }
}
