package dev.introducer.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Crc32Test
{
    @Test
    void matchesTheStandardCheckValue()
    {
        final byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xCBF4_3926, Crc32.compute(new UnsafeBuffer(check), 0, check.length));
    }

    @Test
    void matchesJavaUtilZipOverAnyRangeOfABuffer()
    {
        final SplittableRandom random = new SplittableRandom(5769);
        final byte[] bytes = new byte[4096];
        random.nextBytes(bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < 500; i++)
        {
            final int offset = random.nextInt(bytes.length);
            final int length = random.nextInt(bytes.length - offset + 1);
            final CRC32 reference = new CRC32();
            reference.update(bytes, offset, length);
            assertEquals((int)reference.getValue(), Crc32.compute(buffer, offset, length));
        }
    }
}
