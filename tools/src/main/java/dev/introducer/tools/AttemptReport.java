package dev.introducer.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import dev.introducer.engine.journal.AttemptJournalReader;
import dev.introducer.engine.journal.AttemptRecord;
import dev.introducer.engine.journal.AttemptResult;
import dev.introducer.engine.journal.JournalException;
import dev.introducer.protocol.NatType;

/**
 * The operator's view of an attempt journal ("how direct are we"): per NAT pair (ours → the peer's), the attempts,
 * the success rate, the path mix of the connected ones (direct, local, relay), the needs-relay decisions, the
 * failures by reason, and the time to connect (p50, p90, p99, max from an HdrHistogram over the connected
 * attempts). It reads the journal from any process, also while engines append to it.
 * <p>
 * An attempt is a record that ran a strategy: a needs-relay record is a decision without an attempt, so it is
 * counted on its own and not in the success rate. Times are recorded in microseconds in a fixed-range histogram
 * ({@link #HIGHEST_TRACKABLE_US_DEFAULT}, 3 significant digits); a longer time is clamped to the range.
 * <pre>{@code
 * AttemptReport.print(Path.of("attempts.journal"), System.out);   // the table
 * AttemptReport.printJson(Path.of("attempts.journal"), System.out); // one JSON object per line
 * }</pre>
 */
public final class AttemptReport
{
    /** Longest time to connect the histogram tells apart: 60 s, six times the connect timeout. */
    public static final long HIGHEST_TRACKABLE_US_DEFAULT = TimeUnit.SECONDS.toMicros(60);
    /** Significant digits of the histogram. */
    public static final int SIGNIFICANT_DIGITS_DEFAULT = 3;
    /** The journal's file name in {@link #defaultJournal()}'s directory. */
    public static final String JOURNAL_FILE_NAME = "attempts.journal";

    private static final String TABLE_FORMAT = "%-14s %8s %9s %8s %7s %6s %6s %11s %7s %8s %8s %8s %8s  %s";
    private static final NatType[] NATS = NatType.values();

    private final Path file;
    private final long appended;
    private final int capacity;
    private final long overwritten;
    private final long skipped;
    private final PairStats[] pairs = new PairStats[NATS.length * NATS.length];
    private final PairStats all = new PairStats("all");

    private AttemptReport(final Path file, final AttemptJournalReader reader)
    {
        this.file = file;
        for (final NatType local : NATS)
        {
            for (final NatType remote : NATS)
            {
                pairs[local.ordinal() * NATS.length + remote.ordinal()] =
                    new PairStats(local.label() + "→" + remote.label());
            }
        }
        reader.readRetained(this::add);
        this.appended = reader.appended();
        this.capacity = reader.capacity();
        this.overwritten = Math.max(0, appended - capacity);
        this.skipped = reader.incomplete() + reader.invalid();
    }

    /**
     * Reads a journal and summarises it.
     *
     * @param journal the file.
     * @return the summary.
     * @throws UserException with a one-line reason if the file is missing or not a valid journal.
     */
    public static AttemptReport read(final Path journal)
    {
        try (AttemptJournalReader reader = AttemptJournalReader.open(journal))
        {
            return new AttemptReport(journal, reader);
        }
        catch (final JournalException ex)
        {
            throw new UserException(ex.getMessage());
        }
    }

    /**
     * Prints the report of a journal as a table.
     *
     * @param journal the file.
     * @param out     where to print.
     * @throws UserException with a one-line reason if the file is missing or not a valid journal.
     */
    public static void print(final Path journal, final PrintStream out)
    {
        read(journal).lines().forEach(out::println);
    }

    /**
     * Prints the report of a journal as JSON, one object per line: the journal first, then one per NAT pair
     * that has records, then the total ({@code "pair":"all"}).
     *
     * @param journal the file.
     * @param out     where to print.
     * @throws UserException with a one-line reason if the file is missing or not a valid journal.
     */
    public static void printJson(final Path journal, final PrintStream out)
    {
        read(journal).jsonLines().forEach(out::println);
    }

    /**
     * Where {@code introducer peer} journals by default: {@code $XDG_STATE_HOME/introducer/attempts.journal}, or
     * {@code ~/.local/state/introducer/attempts.journal} without {@code XDG_STATE_HOME}.
     *
     * @return the path.
     */
    public static Path defaultJournal()
    {
        final String stateHome = System.getenv("XDG_STATE_HOME");
        final Path base = null != stateHome && !stateHome.isEmpty() ? Path.of(stateHome) :
            Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("introducer").resolve(JOURNAL_FILE_NAME);
    }

    /**
     * The table, one line per element: a title, the column heads, a row per NAT pair with records, the total.
     *
     * @return the lines.
     */
    public List<String> lines()
    {
        final List<String> lines = new ArrayList<>();
        lines.add("attempt journal " + file + ": " + appended + " appended, capacity " + capacity +
            (overwritten > 0 ? ", oldest " + overwritten + " overwritten" : "") +
            (skipped > 0 ? ", " + skipped + " unreadable skipped" : ""));
        lines.add(String.format(Locale.ROOT, TABLE_FORMAT, "pair", "attempts", "connected", "success", "direct",
            "local", "relay", "needs-relay", "failed", "p50 ms", "p90 ms", "p99 ms", "max ms", "failures"));
        for (final PairStats pair : pairs)
        {
            if (pair.records > 0)
            {
                lines.add(pair.row());
            }
        }
        lines.add(all.row());
        return lines;
    }

    /**
     * The JSON lines ({@link #printJson}).
     *
     * @return the lines.
     */
    public List<String> jsonLines()
    {
        final List<String> lines = new ArrayList<>();
        lines.add(new Json().field("journal", file.toString()).field("appended", appended)
            .field("capacity", capacity).field("overwritten", overwritten).field("skipped", skipped).end());
        for (int i = 0; i < pairs.length; i++)
        {
            if (pairs[i].records > 0)
            {
                lines.add(pairs[i].json(NATS[i / NATS.length].label(), NATS[i % NATS.length].label()));
            }
        }
        lines.add(all.json(null, null));
        return lines;
    }

    /**
     * The figures of one NAT pair ({@code "easy→hard"}, ours first), or of {@code "all"}.
     *
     * @param pair the row's name.
     * @return its figures, or null for an unknown name.
     */
    public PairStats pair(final String pair)
    {
        if (all.name.equals(pair))
        {
            return all;
        }
        for (final PairStats stats : pairs)
        {
            if (stats.name.equals(pair))
            {
                return stats;
            }
        }
        return null;
    }

    private void add(final AttemptRecord record)
    {
        pairs[record.localNat().ordinal() * NATS.length + record.remoteNat().ordinal()].add(record);
        all.add(record);
    }

    /**
     * The figures of one row.
     */
    public static final class PairStats
    {
        private final String name;
        private final Histogram connectUs = new Histogram(HIGHEST_TRACKABLE_US_DEFAULT, SIGNIFICANT_DIGITS_DEFAULT);
        private final Map<AttemptResult, Long> failures = new EnumMap<>(AttemptResult.class);
        private long records;
        private long attempts;
        private long connected;
        private long direct;
        private long local;
        private long relay;
        private long needsRelay;

        private PairStats(final String name)
        {
            this.name = name;
        }

        /**
         * Attempts: records that ran a strategy (every record but needs-relay).
         *
         * @return the count.
         */
        public long attempts()
        {
            return attempts;
        }

        /**
         * Attempts that connected.
         *
         * @return the count.
         */
        public long connected()
        {
            return connected;
        }

        /**
         * Connected attempts by path.
         *
         * @param path "direct", "local" or "relay".
         * @return the count.
         */
        public long path(final String path)
        {
            return switch (path)
            {
                case "direct" -> direct;
                case "local" -> local;
                case "relay" -> relay;
                default -> 0;
            };
        }

        /**
         * Needs-relay decisions (hard ↔ hard, no attempt run).
         *
         * @return the count.
         */
        public long needsRelay()
        {
            return needsRelay;
        }

        /**
         * Attempts that failed.
         *
         * @return the count.
         */
        public long failed()
        {
            return attempts - connected;
        }

        /**
         * A time-to-connect percentile of the connected attempts.
         *
         * @param percentile 0..100 (100 is the max).
         * @return microseconds, at the histogram's precision; 0 without connected attempts.
         */
        public long connectPercentileUs(final double percentile)
        {
            return 0 == connectUs.getTotalCount() ? 0 : connectUs.getValueAtPercentile(percentile);
        }

        private void add(final AttemptRecord record)
        {
            records++;
            final AttemptResult result = record.result();
            if (AttemptResult.NEEDS_RELAY == result)
            {
                needsRelay++;
                return;
            }
            attempts++;
            if (AttemptResult.CONNECTED != result)
            {
                failures.merge(result, 1L, Long::sum);
                return;
            }
            connected++;
            if (null != record.path())
            {
                switch (record.path())
                {
                    case DIRECT -> direct++;
                    case LOCAL -> local++;
                    case RELAY -> relay++;
                    default ->
                    {
                    }
                }
            }
            final long us = TimeUnit.NANOSECONDS.toMicros(record.durationNs());
            connectUs.recordValue(Math.max(0, Math.min(us, HIGHEST_TRACKABLE_US_DEFAULT)));
        }

        private String row()
        {
            final boolean timed = connectUs.getTotalCount() > 0;
            final StringBuilder reasons = new StringBuilder();
            for (final Map.Entry<AttemptResult, Long> failure : failures.entrySet())
            {
                reasons.append(reasons.length() > 0 ? " " : "").append(failure.getKey().label()).append(':')
                    .append(failure.getValue());
            }
            return String.format(Locale.ROOT, TABLE_FORMAT, name, attempts, connected,
                attempts > 0 ? String.format(Locale.ROOT, "%.1f%%", 100.0 * connected / attempts) : "-",
                direct, local, relay, needsRelay, failed(),
                timed ? ms(connectPercentileUs(50)) : "-", timed ? ms(connectPercentileUs(90)) : "-",
                timed ? ms(connectPercentileUs(99)) : "-", timed ? ms(connectPercentileUs(100)) : "-",
                reasons.length() > 0 ? reasons : "-");
        }

        private String json(final String localNat, final String remoteNat)
        {
            final Json json = new Json().field("pair", name);
            if (null != localNat)
            {
                json.field("local_nat", localNat).field("remote_nat", remoteNat);
            }
            json.field("attempts", attempts).field("connected", connected).field("direct", direct)
                .field("local", local).field("relay", relay).field("needs_relay", needsRelay).field("failed", failed());
            for (final Map.Entry<AttemptResult, Long> failure : failures.entrySet())
            {
                json.field("failed_" + failure.getKey().label().replace('-', '_'), failure.getValue());
            }
            if (connectUs.getTotalCount() > 0)
            {
                json.field("p50_us", connectPercentileUs(50)).field("p90_us", connectPercentileUs(90))
                    .field("p99_us", connectPercentileUs(99)).field("max_us", connectPercentileUs(100));
            }
            return json.end();
        }

        private static String ms(final long us)
        {
            return String.format(Locale.ROOT, "%.1f", us / 1000.0);
        }
    }
}
