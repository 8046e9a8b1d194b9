package dev.introducer.tools.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The connect results of the lab trials, one row per pair and side: path, strategy and connect times as each
 * side's {@code connected} events report them. Renders as a Markdown table for the build log and
 * {@code tools/target/lab-results.md}.
 */
public final class ConnectResults
{
    /** Below this many samples a 95th percentile says nothing, and the table shows none. */
    public static final int MIN_SAMPLES_FOR_P95 = 20;

    private final Map<String, Row> rows = new LinkedHashMap<>();

    /**
     * Records one side's {@code connected} event of one trial.
     * <p>
     * If {@code connect-failed} events came first, the event's {@code ms} only times the attempt that worked: the
     * side really connected one or more whole connect timeouts later. Such a sample counts as infinitely slow
     * (shown as "retry"), so that percentiles never hide a failed first attempt.
     *
     * @param pair           the pair, e.g. {@code "easy↔hard"}.
     * @param side           the side's description, e.g. {@code "a (easy)"}.
     * @param connected      the event: {@code path}, {@code strategy}, {@code ms}, {@code probes}.
     * @param failedAttempts the {@code connect-failed} events for that peer before it.
     */
    public synchronized void recordConnected(
        final String pair,
        final String side,
        final Map<String, Object> connected,
        final int failedAttempts)
    {
        final Row row = row(pair, side);
        row.paths.merge(String.valueOf(connected.get("path")), 1, Integer::sum);
        row.strategies.merge(String.valueOf(connected.get("strategy")), 1, Integer::sum);
        row.millis.add(failedAttempts > 0 ? Double.POSITIVE_INFINITY : number(connected.get("ms")));
        row.probes.add(number(connected.get("probes")));
        if (failedAttempts > 0)
        {
            row.retried++;
        }
    }

    /**
     * Records a trial in which a side connected to nobody, with what it reported instead.
     *
     * @param pair    the pair.
     * @param side    the side's description.
     * @param outcome e.g. {@code "needs-relay"}.
     */
    public synchronized void recordOutcome(final String pair, final String side, final String outcome)
    {
        row(pair, side).outcomes.merge(outcome, 1, Integer::sum);
    }

    /**
     * @param pair the pair.
     * @param side the side's description.
     * @return the connect times recorded for that row, in ms, in trial order; infinite after a failed attempt.
     */
    public synchronized List<Double> millis(final String pair, final String side)
    {
        final Row row = rows.get(key(pair, side));
        return null == row ? List.of() : List.copyOf(row.millis);
    }

    /**
     * @return whether nothing was recorded.
     */
    public synchronized boolean isEmpty()
    {
        return rows.isEmpty();
    }

    /**
     * The nearest-rank percentile: the smallest sample with at least {@code percent} % of the samples at or below
     * it.
     *
     * @param samples the samples (any order).
     * @param percent 0 to 100.
     * @return the percentile, or NaN without samples.
     */
    public static double percentile(final Collection<Double> samples, final double percent)
    {
        if (samples.isEmpty())
        {
            return Double.NaN;
        }
        final List<Double> sorted = samples.stream().sorted().toList();
        final int rank = Math.max(1, (int)Math.ceil(percent / 100.0 * sorted.size()));
        return sorted.get(Math.min(rank, sorted.size()) - 1);
    }

    /**
     * @param title a heading.
     * @return the table as Markdown, with a heading and a legend.
     */
    public synchronized String toMarkdown(final String title)
    {
        final MarkdownTable table = new MarkdownTable("pair", "side", "trials", "path", "strategy", "p50 ms",
            "p95 ms", "max ms", "probes (median)", "1st attempt failed");
        for (final Row row : rows.values())
        {
            final int trials = row.millis.size() + row.outcomes.values().stream().mapToInt(Integer::intValue).sum();
            final Map<String, Integer> paths = new TreeMap<>(row.paths);
            row.outcomes.forEach((outcome, count) -> paths.merge(outcome, count, Integer::sum));
            table.row(
                row.pair,
                row.side,
                Integer.toString(trials),
                counts(paths),
                row.strategies.isEmpty() ? "-" : counts(row.strategies),
                millis(percentile(row.millis, 50)),
                row.millis.size() >= MIN_SAMPLES_FOR_P95 ? millis(percentile(row.millis, 95)) : "-",
                millis(row.millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)),
                row.probes.isEmpty() ? "-" : millis(percentile(row.probes, 50)),
                Integer.toString(row.retried));
        }
        final StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append(System.lineSeparator()).append(System.lineSeparator());
        out.append(table.render());
        out.append(System.lineSeparator())
            .append("Connect times are the `ms` of each side's `connected` event, one sample per trial and side; ")
            .append("p95 (nearest rank) only with at least ").append(MIN_SAMPLES_FOR_P95).append(" samples. ")
            .append("A side whose first attempt ended in `connect-failed` connected only after a retry, a whole ")
            .append("connect timeout later: its sample counts as infinite (\"retry\"). ")
            .append("Each trial starts with the routers' conntrack flushed, so every trial is a first contact.")
            .append(System.lineSeparator());
        return out.toString();
    }

    /**
     * Writes {@link #toMarkdown(String)} to a file, creating its directories.
     *
     * @param file  the file.
     * @param title a heading.
     */
    public void writeMarkdown(final Path file, final String title)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toMarkdown(title), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private Row row(final String pair, final String side)
    {
        return rows.computeIfAbsent(key(pair, side), k -> new Row(pair, side));
    }

    private static String key(final String pair, final String side)
    {
        return pair + "\u0000" + side;
    }

    private static double number(final Object value)
    {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String millis(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        if (Double.isInfinite(value))
        {
            return "retry";
        }
        return value == Math.rint(value) ? Long.toString((long)value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String counts(final Map<String, Integer> counts)
    {
        if (1 == counts.size())
        {
            return counts.keySet().iterator().next();
        }
        return counts.entrySet().stream()
            .map((final Entry<String, Integer> e) -> e.getKey() + " ×" + e.getValue())
            .collect(Collectors.joining(", "));
    }

    private static final class Row
    {
        private final String pair;
        private final String side;
        private final Map<String, Integer> paths = new LinkedHashMap<>();
        private final Map<String, Integer> strategies = new TreeMap<>();
        private final Map<String, Integer> outcomes = new TreeMap<>();
        private final List<Double> millis = new ArrayList<>();
        private final List<Double> probes = new ArrayList<>();
        private int retried;

        private Row(final String pair, final String side)
        {
            this.pair = pair;
            this.side = side;
        }
    }
}
