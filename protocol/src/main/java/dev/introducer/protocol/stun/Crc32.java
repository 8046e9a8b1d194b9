package dev.introducer.protocol.stun;

import org.agrona.DirectBuffer;

/**
 * CRC-32 (ISO-HDLC, the one of zlib and {@code java.util.zip.CRC32}, as RFC 8489 requires for FINGERPRINT),
 * table-driven over the bytes of a {@link DirectBuffer}, so that a fingerprint neither allocates nor copies
 * into a {@code byte[]}.
 */
public final class Crc32
{
    private static final int POLYNOMIAL_REFLECTED = 0xEDB8_8320;
    private static final int[] TABLE = new int[256];

    static
    {
        for (int n = 0; n < 256; n++)
        {
            int c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? POLYNOMIAL_REFLECTED ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32()
    {
    }

    /**
     * The CRC-32 of a range of bytes.
     *
     * @param buffer to read.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the CRC-32.
     */
    public static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        int crc = 0xFFFF_FFFF;
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            crc = TABLE[(crc ^ buffer.getByte(i)) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }
}
