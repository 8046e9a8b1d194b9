package dev.introducer.engine.journal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.protocol.Id32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers while writers append: in another thread, in another process, and while the ring wraps under the
 * reader. A reader never sees a torn record; without a wrap it sees every record exactly once, in order.
 */
class ConcurrentJournalTest
{
    private static final long TIME_LIMIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    @DisplayName("two writer threads, one tailing reader: every record once, in order, whole")
    void readerTailsTwoWriterThreads() throws Exception
    {
        final int perWriter = 200_000;
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 1 << 19);
            AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            final List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++)
            {
                final long first = (long)w * perWriter;
                final Thread writer = new Thread(() ->
                {
                    for (long n = first; n < first + perWriter; n++)
                    {
                        JournalFiles.appendDerived(journal, n, Id32.ZERO);
                    }
                }, "journal-writer-" + w);
                writers.add(writer);
                writer.start();
            }
            final long[] expectedSequence = {0};
            final boolean[] seen = new boolean[2 * perWriter];
            final long deadline = System.nanoTime() + TIME_LIMIT_NS;
            while (expectedSequence[0] < 2L * perWriter && System.nanoTime() < deadline)
            {
                reader.poll((record) ->
                {
                    assertEquals(expectedSequence[0]++, record.sequence(), "in order, none skipped");
                    assertTrue(JournalFiles.isDerived(record), record::toString);
                    final int n = (int)(record.epochMs() / 3);
                    assertTrue(!seen[n], "record " + n + " delivered twice");
                    seen[n] = true;
                }, 1_000);
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertEquals(2L * perWriter, expectedSequence[0]);
            assertEquals(0, reader.overwritten() + reader.incomplete() + reader.invalid());
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("a ring wrapping under a slow reader: never a torn record, and delivered + overwritten = appended")
    void wrapUnderTheReaderNeverTears() throws Exception
    {
        final int total = 400_000;
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 1024);
            AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            final AtomicBoolean done = new AtomicBoolean();
            final Thread writer = new Thread(() ->
            {
                for (long n = 0; n < total; n++)
                {
                    JournalFiles.appendDerived(journal, n, Id32.ZERO);
                }
                done.set(true);
            }, "journal-writer");
            writer.start();
            final long[] delivered = {0};
            final long[] lastSequence = {-1};
            final long deadline = System.nanoTime() + TIME_LIMIT_NS;
            final java.util.function.Consumer<AttemptRecord> check = (record) ->
            {
                assertTrue(record.sequence() > lastSequence[0], "in order");
                lastSequence[0] = record.sequence();
                assertTrue(JournalFiles.isDerived(record), record::toString);
                assertEquals(record.sequence(), record.epochMs() / 3, "the record of its own sequence");
                delivered[0]++;
            };
            while (!done.get() && System.nanoTime() < deadline)
            {
                reader.poll(check, 64);
            }
            // A poll that started before the writer finished may have stopped at its last, uncommitted record.
            while (reader.poll(check, 64) > 0)
            {
                Thread.onSpinWait();
            }
            writer.join();
            assertEquals(total, delivered[0] + reader.overwritten() + reader.incomplete(),
                "delivered " + delivered[0] + ", overwritten " + reader.overwritten());
            assertTrue(reader.overwritten() > 0, "the writer lapped the reader at least once");
            assertEquals(0, reader.invalid());
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("a reader in this process tails a journal that another process (a child JVM) is writing")
    void readerInAnotherProcess() throws Exception
    {
        final int count = 50_000;
        final Path file = dir.resolve("attempts.journal");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournalWriterMain.class.getName());
        command.add(file.toString());
        command.add(Integer.toString(count));
        command.add(Integer.toString(1 << 16));
        final Process writer = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("writer.log").toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TIME_LIMIT_NS;
            AttemptJournalReader reader = null;
            while (null == reader && System.nanoTime() < deadline)
            {
                try
                {
                    reader = AttemptJournalReader.open(file);
                }
                catch (final JournalException notYet)
                {
                    Thread.sleep(5);
                }
            }
            assertTrue(null != reader, "the writer created the journal");
            final long[] next = {0};
            int polls = 0;
            boolean overlapped = false;
            try (AttemptJournalReader tail = reader)
            {
                while (next[0] < count && System.nanoTime() < deadline)
                {
                    polls++;
                    if (tail.poll((record) ->
                    {
                        assertEquals(next[0]++, record.sequence());
                        assertTrue(JournalFiles.isDerived(record), record::toString);
                    }, 1_000) > 0 && writer.isAlive())
                    {
                        overlapped = true;
                    }
                    else
                    {
                        Thread.sleep(1);
                    }
                }
            }
            assertEquals(count, next[0], () -> "writer log: " + readLog());
            assertTrue(overlapped, "records were read while the writer process was still appending");
            assertTrue(polls > 1);
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, writer.exitValue(), this::readLog);
        }
        finally
        {
            writer.destroyForcibly();
        }
    }

    private String readLog()
    {
        try
        {
            return Files.readString(dir.resolve("writer.log"));
        }
        catch (final java.io.IOException ex)
        {
            return ex.toString();
        }
    }
}
