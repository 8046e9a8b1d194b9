package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code introducer stat}: reads a counters file that another mapping (a node, or a bare {@link CountersFile}
 * writer standing in for another process) writes, and prints it as AeronStat does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatCommandTest
{
    private static final String ID = "ab".repeat(32);

    @Test
    void printsTheCountersOfAnotherWriter(@TempDir final Path dir)
    {
        final Path path = dir.resolve("counters.dat");
        try (CountersFile writer = CountersFile.create(path, ID, System.currentTimeMillis()))
        {
            final AtomicCounter packets = writer.newCounter(CountersFile.TYPE_COUNTER, "a_total", "packets in");
            final AtomicCounter sessions = writer.newCounter(CountersFile.TYPE_GAUGE, "b", "sessions open");
            packets.setRelease(1_234_567);
            sessions.setRelease(3);
            writer.heartbeat(System.currentTimeMillis());

            final CommandRun stat = new CommandRun().execute("stat", "--counters-file", path.toString());

            assertEquals(ExitCodes.OK, stat.exitCode(), stat::transcript);
            final List<String> lines = stat.outLines();
            assertEquals(4, lines.size(), stat::transcript);
            assertTrue(lines.get(0).matches(".* - introducer stat, pid " + ProcessHandle.current().pid() +
                ", id abababab, started \\S+, heartbeat age \\d+ ms"), lines.get(0));
            assertEquals("=".repeat(80), lines.get(1));
            assertEquals(String.format("%3d: %,20d - %s", 0, 1_234_567, "packets in"), lines.get(2));
            assertEquals(String.format("%3d: %,20d - %s", 1, 3, "sessions open"), lines.get(3));
            assertEquals("", stat.err(), stat::transcript);
        }
    }

    @Test
    void saysWhenTheNodeStopped(@TempDir final Path dir)
    {
        final Path path = dir.resolve("counters.dat");
        try (CountersFile writer = CountersFile.create(path, ID, System.currentTimeMillis()))
        {
            writer.stopped(System.currentTimeMillis());
        }

        final CommandRun stat = new CommandRun().execute("stat", "--counters-file", path.toString());

        assertEquals(ExitCodes.OK, stat.exitCode(), stat::transcript);
        assertTrue(stat.outLines().get(0).matches(".*, started \\S+, stopped \\S+"), stat::transcript);
    }

    @Test
    void readsTheCountersOfARunningNode(@TempDir final Path dir) throws InterruptedException
    {
        final Path path = dir.resolve("counters.dat");
        try (RunningNode node = new RunningNode(path))
        {
            final CommandRun nat = new CommandRun().execute(
                Stream.concat(Stream.of("nat", "--timeout", "10"), Stream.of(node.introducerArgs()))
                    .toArray(String[]::new));
            assertEquals(ExitCodes.OK, nat.exitCode(), nat::transcript);
            NodeMetricsTest.awaitCounter(path, "introducer_engine_datagrams_sent_total", 1);

            final CommandRun stat = new CommandRun().execute("stat", "--counters-file", path.toString());

            assertEquals(ExitCodes.OK, stat.exitCode(), stat::transcript);
            final String received = stat.outLines().stream()
                .filter((line) -> line.endsWith(" - engine datagrams received")).findFirst()
                .orElseThrow(() -> new AssertionError(stat.transcript()));
            final long value = Long.parseLong(received.substring(received.indexOf(':') + 1, received.indexOf(" - "))
                .strip().replace(",", ""));
            assertTrue(value > 0, received);
        }
    }

    @Test
    void watchRepeatsUntilStopped(@TempDir final Path dir) throws InterruptedException
    {
        final Path path = dir.resolve("counters.dat");
        try (CountersFile writer = CountersFile.create(path, ID, System.currentTimeMillis()))
        {
            writer.newCounter(CountersFile.TYPE_COUNTER, "a_total", "packets in");
            final CommandRun stat = new CommandRun();
            final StatCommand command = stat.subcommand("stat");
            final Thread thread = new Thread(
                () -> stat.execute("stat", "--counters-file", path.toString(), "--watch", "0.05"), "test-stat");
            thread.start();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (headers(stat) < 3 && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }
            command.stop();
            thread.join(10_000);

            assertTrue(!thread.isAlive(), stat::transcript);
            assertEquals(ExitCodes.OK, stat.exitCode(), stat::transcript);
            assertTrue(headers(stat) >= 3, stat::transcript);
        }
    }

    @Test
    void findsTheOnlyCountersFileUnderTheBase(@TempDir final Path base) throws IOException
    {
        final UserException none = assertThrows(UserException.class,
            () -> StatCommand.onlyCountersFile(base));
        assertTrue(none.getMessage().startsWith("no counters file under " + base), none.getMessage());

        final Path first = Files.createDirectories(base.resolve("introducer-0123abcd")).resolve("counters.dat");
        Files.write(first, new byte[1]);
        Files.createDirectories(base.resolve("other-dir"));
        assertEquals(first, StatCommand.onlyCountersFile(base));

        Files.write(Files.createDirectories(base.resolve("introducer-4567cdef")).resolve("counters.dat"), new byte[1]);
        final UserException several = assertThrows(UserException.class,
            () -> StatCommand.onlyCountersFile(base));
        assertTrue(several.getMessage().startsWith("several counters files"), several.getMessage());
    }

    private static long headers(final CommandRun stat)
    {
        return stat.outLines().stream().filter((line) -> line.contains(" - introducer stat, pid ")).count();
    }
}
