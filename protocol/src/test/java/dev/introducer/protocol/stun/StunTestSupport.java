package dev.introducer.protocol.stun;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hex listings and a hand-rolled STUN writer for the tests, independent of the codec under test (its FINGERPRINT
 * uses {@code java.util.zip.CRC32}).
 */
final class StunTestSupport
{
    static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private StunTestSupport()
    {
    }

    /**
     * Bytes from a hex listing with any whitespace.
     *
     * @param text e.g. "00 01 a1 47".
     * @return the bytes.
     */
    static byte[] hex(final String text)
    {
        final String digits = text.replaceAll("\\s+", "");
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /**
     * A datagram in a buffer of exactly its size, so that a read past its end throws.
     *
     * @param bytes the datagram.
     * @return the buffer.
     */
    static UnsafeBuffer exact(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes.clone());
    }

    /**
     * Builds a STUN message attribute by attribute.
     */
    static final class Builder
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        private int position = StunMessageFlyweight.HEADER_LENGTH;

        Builder(final int messageType, final byte[] transactionId)
        {
            buffer.putShort(0, (short)messageType, BIG);
            buffer.putInt(4, StunMessageFlyweight.MAGIC_COOKIE, BIG);
            buffer.putBytes(8, transactionId);
        }

        Builder attribute(final int type, final byte[] value)
        {
            buffer.putShort(position, (short)type, BIG);
            buffer.putShort(position + 2, (short)value.length, BIG);
            buffer.putBytes(position + 4, value);
            position += 4 + ((value.length + 3) & ~3);
            return this;
        }

        /**
         * Appends a FINGERPRINT computed with {@code java.util.zip.CRC32}, and finishes.
         *
         * @return the message.
         */
        byte[] withFingerprint()
        {
            buffer.putShort(2, (short)(position + 8 - StunMessageFlyweight.HEADER_LENGTH), BIG);
            final CRC32 crc = new CRC32();
            crc.update(buffer.byteArray(), 0, position);
            buffer.putShort(position, (short)StunAttribute.FINGERPRINT, BIG);
            buffer.putShort(position + 2, (short)4, BIG);
            buffer.putInt(position + 4, (int)crc.getValue() ^ StunAttribute.FINGERPRINT_XOR, BIG);
            position += 8;
            return Arrays.copyOf(buffer.byteArray(), position);
        }

        /**
         * Finishes without FINGERPRINT.
         *
         * @return the message.
         */
        byte[] build()
        {
            buffer.putShort(2, (short)(position - StunMessageFlyweight.HEADER_LENGTH), BIG);
            return Arrays.copyOf(buffer.byteArray(), position);
        }
    }
}
