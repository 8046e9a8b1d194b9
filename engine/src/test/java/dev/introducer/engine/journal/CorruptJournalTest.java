package dev.introducer.engine.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.introducer.protocol.Id32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that are not whole journals: each gets a {@link JournalException} whose one-line message names the file
 * and the problem, or (for a valid header over bad records) a read that skips and counts the bad records. Never
 * another exception, never a crash; the writer never overwrites a file it did not recognise.
 */
class CorruptJournalTest
{
    private static final int FUZZ_FILES = 2_000;

    @TempDir
    Path dir;

    @Test
    @DisplayName("a missing file is a clear error")
    void missingFile()
    {
        final Path file = dir.resolve("nothing-here.journal");
        final JournalException error = assertThrows(JournalException.class, () -> AttemptJournalReader.open(file));
        assertEquals(file + ": no such attempt journal", error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty file              | 0    | 0          | 1 | 64 | 16 | 0  | shorter than its 64-byte header",
        "short file              | 10   | 0          | 1 | 64 | 16 | 0  | shorter than its 64-byte header",
        "zero magic              | 1088 | 0          | 1 | 64 | 16 | 0  | not initialised yet (magic is 0)",
        "other magic             | 1088 | 1234       | 1 | 64 | 16 | 0  | not an attempt journal (magic 0x4d2)",
        "other version           | 1088 | 826949961  | 2 | 64 | 16 | 0  | journal version 2 is not supported",
        "other record length     | 1088 | 826949961  | 1 | 32 | 16 | 0  | record length 32 is not 64",
        "capacity not power of 2 | 1088 | 826949961  | 1 | 64 | 17 | 0  | capacity 17 is not a power of two",
        "truncated               | 1000 | 826949961  | 1 | 64 | 16 | 0  | truncated: 1000 bytes, the header says 1088",
        "negative count          | 1088 | 826949961  | 1 | 64 | 16 | -1 | corrupt: negative record count"})
    void badHeaderIsAClearError(
        final String name, final int length, final int magic, final int version, final int recordLength,
        final int capacity, final long appended, final String reason) throws Exception
    {
        final Path file = dir.resolve("bad.journal");
        Files.write(file, header(length, magic, version, recordLength, capacity, appended));
        final byte[] before = Files.readAllBytes(file);

        final JournalException read = assertThrows(JournalException.class, () -> AttemptJournalReader.open(file));
        assertTrue(read.getMessage().startsWith(file + ": ") && read.getMessage().contains(reason), read::getMessage);
        assertTrue(!read.getMessage().contains("\n"), "one line");
        if (length > 0)
        {
            final JournalException write = assertThrows(JournalException.class, () -> AttemptJournal.open(file));
            assertTrue(write.getMessage().startsWith(file + ": "), write::getMessage);
            assertArrayEquals(before, Files.readAllBytes(file), "the writer left the file alone");
        }
    }

    @Test
    @DisplayName("fuzz: random files, and random records under a valid header, never throw anything but the error")
    void fuzzRandomFiles() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(6);
        final Path file = dir.resolve("fuzz.journal");
        int opened = 0;
        int rejected = 0;
        long delivered = 0;
        long skipped = 0;
        for (int i = 0; i < FUZZ_FILES; i++)
        {
            final byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.nextInt(0, 4_096)];
                fill(random, bytes);
            }
            else
            {
                // A valid header (sometimes with a wild count, sometimes cut short) over random records.
                final int capacity = 16 << random.nextInt(0, 3);
                final long appended = random.nextInt(4) == 0 ? random.nextLong(Long.MAX_VALUE) :
                    random.nextInt(0, 4 * capacity);
                final int length = random.nextInt(8) == 0 ? random.nextInt(64, (int)JournalDescriptor.fileLength(
                    capacity)) : (int)JournalDescriptor.fileLength(capacity);
                bytes = header(length, JournalDescriptor.MAGIC, 1, 64, capacity, appended);
                final byte[] records = new byte[length - 64];
                fill(random, records);
                if (random.nextBoolean())
                {
                    // Plausible records: commit words that match their slot, codes mostly in range.
                    plausible(random, ByteBuffer.wrap(records).order(ByteOrder.nativeOrder()), capacity, appended);
                }
                System.arraycopy(records, 0, bytes, 64, records.length);
            }
            Files.write(file, bytes);
            final AttemptJournalReader reader;
            try
            {
                reader = AttemptJournalReader.open(file);
            }
            catch (final JournalException expected)
            {
                assertTrue(expected.getMessage().startsWith(file + ": "), expected::getMessage);
                rejected++;
                continue;
            }
            try (AttemptJournalReader open = reader)
            {
                opened++;
                delivered += open.readRetained((record) ->
                {
                    assertNotNull(record.result());
                    assertNotNull(record.localNat());
                    assertNotNull(record.remoteNat());
                    assertTrue(record.durationNs() >= 0 && record.probes() >= 0);
                });
                delivered += open.poll((record) -> assertNotNull(record.result()), 100);
                skipped += open.invalid() + open.incomplete() + open.overwritten();
            }
        }
        System.out.printf("journal fuzz: %d files, %d rejected, %d opened, %d records delivered, %d skipped%n",
            FUZZ_FILES, rejected, opened, delivered, skipped);
        assertTrue(rejected > FUZZ_FILES / 3, "random bytes are rejected");
        assertTrue(opened > FUZZ_FILES / 10, "valid headers are opened");
        assertTrue(delivered > 0 && skipped > 0, "some plausible records pass, bad ones are skipped");
    }

    @Test
    @DisplayName("a huge file (3 GiB, sparse) of garbage is refused by the reader and the writer, not mapped")
    void hugeGarbageFileIsRefused() throws Exception
    {
        final Path file = dir.resolve("huge.journal");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(3L << 30);
            raf.write("garbage!".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(assertThrows(JournalException.class, () -> AttemptJournalReader.open(file)).getMessage()
            .contains("not an attempt journal"));
        assertTrue(assertThrows(JournalException.class, () -> AttemptJournal.open(file)).getMessage()
            .contains("not an attempt journal"));
        assertEquals(3L << 30, Files.size(file), "left alone");
    }

    @Test
    @DisplayName("a journal of another capacity is continued, not recreated; a valid journal's records survive")
    void writerKeepsAValidFile()
    {
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 16))
        {
            JournalFiles.appendDerived(journal, 5, Id32.ZERO);
        }
        try (AttemptJournal journal = AttemptJournal.open(file, 64))
        {
            assertEquals(16, journal.capacity());
            assertEquals(1, journal.appended());
        }
        final JournalException badCapacity = assertThrows(JournalException.class,
            () -> AttemptJournal.open(dir.resolve("other.journal"), 100));
        assertTrue(badCapacity.getMessage().contains("capacity 100 is not a power of two"), badCapacity::getMessage);
    }

    private static byte[] header(
        final int length, final int magic, final int version, final int recordLength, final int capacity,
        final long appended)
    {
        final byte[] bytes = new byte[length];
        if (length >= JournalDescriptor.HEADER_LENGTH)
        {
            ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder())
                .putInt(JournalDescriptor.MAGIC_OFFSET, magic)
                .putInt(JournalDescriptor.VERSION_OFFSET, version)
                .putInt(JournalDescriptor.RECORD_LENGTH_OFFSET, recordLength)
                .putInt(JournalDescriptor.CAPACITY_OFFSET, capacity)
                .putLong(JournalDescriptor.APPENDED_OFFSET, appended);
        }
        return bytes;
    }

    private static void fill(final SplittableRandom random, final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        if (random.nextInt(4) == 0)
        {
            Arrays.fill(bytes, 0, Math.min(bytes.length, random.nextInt(0, 128)), (byte)0);
        }
    }

    private static void plausible(
        final SplittableRandom random, final ByteBuffer records, final int capacity, final long appended)
    {
        final long first = Math.max(0, appended - capacity);
        for (long sequence = first; sequence < appended && sequence < first + capacity; sequence++)
        {
            final int offset = (int)(sequence & (capacity - 1)) * JournalDescriptor.RECORD_LENGTH;
            if (offset + JournalDescriptor.RECORD_LENGTH > records.capacity())
            {
                continue;
            }
            records.putLong(offset, random.nextInt(5) == 0 ? -(sequence + 1) : sequence + 1);
            records.put(offset + JournalDescriptor.LOCAL_NAT_OFFSET, (byte)random.nextInt(5));
            records.put(offset + JournalDescriptor.REMOTE_NAT_OFFSET, (byte)random.nextInt(5));
            records.put(offset + JournalDescriptor.STRATEGY_OFFSET, (byte)random.nextInt(7));
            records.put(offset + JournalDescriptor.PATH_OFFSET, (byte)random.nextInt(5));
            records.put(offset + JournalDescriptor.RESULT_OFFSET, (byte)random.nextInt(8));
            records.putLong(offset + JournalDescriptor.DURATION_OFFSET, random.nextInt(-10, 1_000_000));
            records.putInt(offset + JournalDescriptor.PROBES_OFFSET, random.nextInt(-10, 10_000));
        }
    }
}
