package dev.introducer.engine.journal;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * Records whose every field is derived from one number, so that a reader can tell a whole record from a torn
 * one: {@link #appendDerived} writes them, {@link #isDerived} checks them.
 */
final class JournalFiles
{
    static final Id32 LOCAL = Id32.sha256("local");

    private static final NatType[] NATS = NatType.values();
    private static final Strategy[] STRATEGIES = Strategy.values();
    private static final PathType[] PATHS = PathType.values();
    private static final AttemptResult[] RESULTS = AttemptResult.values();

    private JournalFiles()
    {
    }

    /**
     * Appends the record derived from {@code n}.
     */
    static long appendDerived(final AttemptJournal journal, final long n, final Id32 peer)
    {
        return journal.append(n * 3, NATS[(int)(n % NATS.length)], NATS[(int)((n / 4) % NATS.length)],
            STRATEGIES[(int)(n % STRATEGIES.length)], RESULTS[(int)(n % RESULTS.length)],
            PATHS[(int)(n % PATHS.length)], n * 7, (int)(n % 100_000), LOCAL, peer);
    }

    /**
     * Whether a record is the one derived from its own time field.
     */
    static boolean isDerived(final AttemptRecord record)
    {
        final long n = record.epochMs() / 3;
        return record.epochMs() == n * 3 && record.durationNs() == n * 7 && record.probes() == (int)(n % 100_000) &&
            record.localNat() == NATS[(int)(n % NATS.length)] &&
            record.remoteNat() == NATS[(int)((n / 4) % NATS.length)] &&
            record.strategy() == STRATEGIES[(int)(n % STRATEGIES.length)] &&
            record.result() == RESULTS[(int)(n % RESULTS.length)] &&
            record.path() == PATHS[(int)(n % PATHS.length)] && record.localIdPrefix() == LOCAL.word(0);
    }
}
