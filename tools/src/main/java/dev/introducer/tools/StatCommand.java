package dev.introducer.tools;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer stat}: prints a node's counters from its counters file, in another process and without
 * asking the node, the way Aeron's {@code AeronStat} reads a CnC file: mapped read-only, one line per counter
 * ({@code %3d: %,20d - %s}), under a header with the node's pid, id and heartbeat age.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Prints the counters of a node from its counters file (read-only; the node is not disturbed).",
        "Without --counters-file it reads the one counters file under " + StatCommand.COUNTERS_DIR_HINT + ".",
        "With --attempts it prints the attempt journal instead: success rate, path mix and time-to-connect",
        "percentiles by NAT pair.",
        "Exit codes: 0 printed, 2 no such file or not a counters file."})
public final class StatCommand extends AbstractEngineCommand
{
    static final String COUNTERS_DIR_HINT = "/dev/shm/introducer-*/";

    @Option(names = "--counters-file", paramLabel = "FILE",
        description = "The node's counters file (default: the only one under " + COUNTERS_DIR_HINT + ").")
    private Path countersFile;

    @Option(names = "--watch", paramLabel = "SECONDS",
        description = "Print again every SECONDS (fractional allowed) until Ctrl-C.")
    private Double watchSeconds;

    @Option(names = "--attempts",
        description = "Print the attempt journal's report (by NAT pair: attempts, success, path mix, " +
            "time-to-connect p50/p90/p99/max) instead of the counters.")
    private boolean attempts;

    @Option(names = "--journal", paramLabel = "FILE",
        description = "With --attempts: the journal (default: the one `introducer peer` writes, " +
            "$XDG_STATE_HOME/introducer/attempts.journal, else ~/.local/state/introducer/attempts.journal).")
    private Path journal;

    @Option(names = "--json", description = "With --attempts: one JSON object per line instead of the table.")
    private boolean json;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /**
     * {@inheritDoc}
     */
    int execute(final Console console)
    {
        if (attempts)
        {
            final AttemptReport report = AttemptReport.read(null != journal ? journal : AttemptReport.defaultJournal());
            (json ? report.jsonLines() : report.lines()).forEach(console::out);
            return ExitCodes.OK;
        }
        if (null != journal || json)
        {
            throw new UserException((null != journal ? "--journal" : "--json") + " goes with --attempts");
        }
        final long periodMs = null == watchSeconds ? 0 : Arguments.positiveSeconds("--watch", watchSeconds).toMillis();
        final Path path = null != countersFile ? countersFile : onlyCountersFile(NodeSettings.countersBase());
        try (CountersFile file = CountersFile.openReadOnly(path))
        {
            print(file, console);
            if (periodMs > 0)
            {
                // Ctrl-C ends a --watch with exit code 0, as it ends a node.
                final SignalTrap signalTrap = new SignalTrap(this::stop, () -> { });
                try
                {
                    while (!awaitStop(periodMs))
                    {
                        print(file, console);
                    }
                }
                finally
                {
                    signalTrap.close();
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Ends a {@code --watch} loop (Ctrl-C does the same); safe from any thread.
     */
    void stop()
    {
        stopRequested.countDown();
    }

    /**
     * Prints the header and every counter, as one block.
     *
     * @param file    the mapped counters file.
     * @param console where.
     */
    static void print(final CountersFile file, final Console console)
    {
        final long nowMs = System.currentTimeMillis();
        final StringBuilder text = new StringBuilder(4096);
        text.append(Instant.ofEpochMilli(nowMs)).append(" - introducer stat, pid ").append(file.pid())
            .append(", id ").append(file.nodeId(), 0, Math.min(8, file.nodeId().length()))
            .append(", started ").append(Instant.ofEpochMilli(file.startTimeMs()));
        final long stopTimeMs = file.stopTimeMs();
        if (0 != stopTimeMs)
        {
            text.append(", stopped ").append(Instant.ofEpochMilli(stopTimeMs));
        }
        else
        {
            text.append(", heartbeat age ").append(nowMs - file.heartbeatMs()).append(" ms");
        }
        text.append('\n').append("=".repeat(80));
        file.reader().forEach((id, typeId, key, label) -> text.append('\n')
            .append(String.format("%3d: %,20d - %s", id, file.reader().getCounterValue(id), label)));
        console.out(text.toString());
    }

    /**
     * The only {@code introducer-*}{@code /counters.dat} under a directory.
     *
     * @param base for example {@code /dev/shm}.
     * @return its path.
     * @throws UserException when there is none or more than one.
     */
    static Path onlyCountersFile(final Path base)
    {
        final List<Path> found = new ArrayList<>();
        final File[] dirs = base.toFile().listFiles((dir, name) -> name.startsWith(NodeSettings.COUNTERS_DIR_PREFIX));
        if (null != dirs)
        {
            for (final File dir : dirs)
            {
                final File candidate = new File(dir, NodeSettings.COUNTERS_FILE_NAME);
                if (candidate.isFile())
                {
                    found.add(candidate.toPath());
                }
            }
        }
        if (found.isEmpty())
        {
            throw new UserException("no counters file under " + base + "/" + NodeSettings.COUNTERS_DIR_PREFIX +
                "*/ (is a node running? give --counters-file FILE)");
        }
        if (found.size() > 1)
        {
            found.sort(null);
            throw new UserException("several counters files, give --counters-file FILE: " + found);
        }
        return found.get(0);
    }

    private boolean awaitStop(final long periodMs)
    {
        try
        {
            return stopRequested.await(periodMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
