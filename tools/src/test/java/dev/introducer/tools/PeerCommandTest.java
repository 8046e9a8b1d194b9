package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code introducer peer} runs in one swarm on loopback, in-process.
 */
class PeerCommandTest
{
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoPeersConnectAndExchangeRoundOne() throws Exception
    {
        final List<CommandRun> peers = runTwoPeers("--messages", "20");

        for (final CommandRun peer : peers)
        {
            assertEquals(ExitCodes.OK, peer.exitCode(), peer::transcript);
            final List<String> lines = peer.outLines();
            assertTrue(lines.stream().anyMatch(line -> line.matches(
                "\\{\"event\":\"connected\",\"peer\":\"[0-9a-f]{64}\",\"path\":\"(direct|local)\"," +
                "\"strategy\":\"[a-z-]+\",\"ms\":\\d+,\"probes\":\\d+}")), peer::transcript);
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("{\"event\":\"nat\",\"nat\":\"static\"")),
                peer::transcript);
            assertEquals("{\"event\":\"summary\",\"connected\":1,\"received\":20,\"ok\":true}",
                lines.get(lines.size() - 1), peer::transcript);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoPeersSurviveAnIdlePeriodAndExchangeRoundTwo() throws Exception
    {
        final List<CommandRun> peers = runTwoPeers("--messages", "5", "--size", "9", "--idle", "1.5",
            "--keepalive", "0.5");

        for (final CommandRun peer : peers)
        {
            assertEquals(ExitCodes.OK, peer.exitCode(), peer::transcript);
            assertTrue(peer.err().contains("round 2 complete"), peer::transcript);
            final List<String> lines = peer.outLines();
            assertEquals("{\"event\":\"summary\",\"connected\":1,\"received\":5,\"ok\":true}",
                lines.get(lines.size() - 1), peer::transcript);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoPeersJournalTheirAttemptsAndTheReportCountsThem(@TempDir final Path dir) throws Exception
    {
        final Path journal = dir.resolve("attempts.journal");
        final List<CommandRun> peers = runTwoPeers("--messages", "3", "--journal", journal.toString());

        for (final CommandRun peer : peers)
        {
            assertEquals(ExitCodes.OK, peer.exitCode(), peer::transcript);
        }
        final AttemptReport report = AttemptReport.read(journal);
        final AttemptReport.PairStats loopback = report.pair("static→static");
        assertEquals(2, loopback.attempts(), () -> String.join("\n", report.lines()));
        assertEquals(2, loopback.connected());
        assertEquals(2, loopback.path("direct"));
        assertTrue(loopback.connectPercentileUs(100) > 0);
        assertEquals(List.of("static→static", "2", "2", "100.0%", "2"),
            List.of(report.lines().get(2).trim().split("\\s+")).subList(0, 5),
            () -> String.join("\n", report.lines()));
    }

    private static List<CommandRun> runTwoPeers(final String... options) throws Exception
    {
        final List<CommandRun> peers = List.of(new CommandRun(), new CommandRun());
        final ExecutorService threads = Executors.newFixedThreadPool(peers.size());
        try (RunningNode node = new RunningNode())
        {
            final List<Future<?>> running = new ArrayList<>();
            for (final CommandRun peer : peers)
            {
                final String[] args = Stream.of(
                    Stream.of("peer", "--json", "--swarm", "loopback test", "--timeout", "30"),
                    Stream.of("--bind", "127.0.0.1:" + CommandRun.freePort()),
                    Stream.of(node.introducerArgs()),
                    Stream.of(options)).flatMap(s -> s).toArray(String[]::new);
                running.add(threads.submit(() -> peer.execute(args)));
            }
            for (final Future<?> run : running)
            {
                run.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            threads.shutdownNow();
        }
        return peers;
    }
}
