package dev.introducer.engine.journal;

import java.nio.file.Path;

import dev.introducer.protocol.Id32;

/**
 * The writer process of {@link ConcurrentJournalTest}: appends derived records to a journal, pausing now and then
 * so that the reading process overlaps it. Arguments: the file, the record count, the capacity.
 */
public final class JournalWriterMain
{
    private static final int PAUSE_EVERY = 500;

    private JournalWriterMain()
    {
    }

    /**
     * Runs the writer.
     *
     * @param args file, count, capacity.
     * @throws InterruptedException if interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path file = Path.of(args[0]);
        final long count = Long.parseLong(args[1]);
        final int capacity = Integer.parseInt(args[2]);
        try (AttemptJournal journal = AttemptJournal.open(file, capacity))
        {
            for (long n = 0; n < count; n++)
            {
                JournalFiles.appendDerived(journal, n, Id32.ZERO);
                if (0 == n % PAUSE_EVERY)
                {
                    Thread.sleep(1);
                }
            }
        }
    }
}
