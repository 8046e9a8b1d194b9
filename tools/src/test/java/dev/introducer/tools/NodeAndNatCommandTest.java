package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code introducer node} and {@code introducer nat} on loopback, in-process.
 */
class NodeAndNatCommandTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void natOnLoopbackIsStatic() throws InterruptedException
    {
        final CommandRun nat;
        final RunningNode node = new RunningNode();
        try (node)
        {
            nat = new CommandRun().execute(
                Stream.concat(Stream.of("nat", "--json", "--timeout", "10"), Stream.of(node.introducerArgs()))
                    .toArray(String[]::new));
        }

        assertEquals(ExitCodes.OK, nat.exitCode(), nat::transcript);
        final List<String> lines = nat.outLines();
        assertEquals(1, lines.size(), nat::transcript);
        final String json = lines.get(0);
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertTrue(json.contains("\"nat\":\"static\""), json);
        assertTrue(json.contains("\"public\":\"127.0.0.1:"), json);
        assertTrue(json.contains("\"mapping\":\"endpoint_independent\""), json);
        assertTrue(json.contains("\"introducersAnswered\":2"), json);
        assertTrue(json.matches(".*\"ms\":\\d+.*"), json);
        assertTrue(json.contains("\"udp\":\"ok\""), json);
        final String[] introducers = node.introducerArgs();
        for (int i = 1; i <= 2; i++)
        {
            // which introducer said what: its address, its id, and what it saw of us
            assertTrue(json.matches(".*\"introducer" + i + "\":\"" + introducers[2 * i - 1] +
                "\",\"introducer" + i + "Id\":\"[0-9a-f]+\",\"introducer" + i + "Saw\":\"127\\.0\\.0\\.1:\\d+\".*"),
                json);
        }

        final CommandRun nodeRun = node.run();
        assertEquals(ExitCodes.OK, nodeRun.exitCode(), nodeRun::transcript);
        assertEquals(2, nodeRun.outLines().stream().filter(line -> line.contains("\"event\":\"listening\"")).count(),
            nodeRun::transcript);
        assertTrue(nodeRun.errLines().get(0).matches("introducer: listening on 127\\.0\\.0\\.1:\\d+ \\((epoll|nio)\\)"),
            nodeRun::transcript);
        assertEquals("introducer: stopped", nodeRun.errLines().get(nodeRun.errLines().size() - 1),
            nodeRun::transcript);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void natHumanLinesSayUdpWorksWhatFilteringMeansAndWhatEachIntroducerSaw() throws InterruptedException
    {
        final CommandRun nat;
        final String[] introducers;
        final long elapsedMs;
        try (RunningNode node = new RunningNode())
        {
            introducers = node.introducerArgs();
            final long startNs = System.nanoTime();
            nat = new CommandRun().execute(
                Stream.concat(Stream.of("nat"), Stream.of(introducers)).toArray(String[]::new));
            elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        }

        assertEquals(ExitCodes.OK, nat.exitCode(), nat::transcript);
        final List<String> lines = nat.outLines();
        assertEquals(5, lines.size(), nat::transcript);
        assertTrue(lines.get(0).startsWith("nat: static  public: 127.0.0.1:"), nat::transcript);
        assertTrue(lines.get(0).contains("  mapping: endpoint-independent  filtering: open  local: "),
            nat::transcript);
        assertTrue(lines.get(1).matches("udp: gets through: 2 of 2 introducer\\(s\\) answered in \\d+ ms"),
            nat::transcript);
        assertTrue(lines.get(2).startsWith("filtering: open: a packet from a port we never sent to got in"),
            nat::transcript);
        for (int i = 1; i <= 2; i++)
        {
            assertTrue(lines.get(2 + i).matches("introducer " + introducers[2 * i - 1].replace(".", "\\.") +
                " \\(id [0-9a-f]+\\): saw us at 127\\.0\\.0\\.1:\\d+"), nat::transcript);
        }
        // "finishes in 2 s when the introducers answer": the whole command, engine start and close included
        assertTrue(elapsedMs <= 2_000, "nat took " + elapsedMs + " ms: " + nat.transcript());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void natWithoutAnswerFailsAfterTimeout()
    {
        // Nothing listens there: no introducer answers.
        final String silent = "127.0.0.1:" + CommandRun.freePort();
        final CommandRun nat = new CommandRun().execute(
            "nat", "--introducer", silent, "--introducer", silent, "--timeout", "1.5", "--json");

        assertEquals(ExitCodes.FAILURE, nat.exitCode(), nat::transcript);
        final String json = nat.out().strip();
        assertTrue(json.startsWith("{\"nat\":\"unknown\",\"public\":null,"), nat::transcript);
        assertTrue(json.contains("\"introducersAnswered\":0"), nat::transcript);
        assertTrue(json.contains("\"udp\":\"blocked\""), nat::transcript);
        assertTrue(json.contains("\"introducer1\":\"" + silent + "\",\"introducer1Id\":null,\"introducer1Saw\":null"),
            nat::transcript);
        assertEquals(
            List.of("introducer: error: no answer from the introducers within 1.5 s: UDP appears blocked "
                + "(or the introducers are down)"),
            nat.errLines(), nat::transcript);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void natWithoutAnswerSaysUdpAppearsBlocked()
    {
        final String silent = "127.0.0.1:" + CommandRun.freePort();
        final CommandRun nat = new CommandRun().execute(
            "nat", "--introducer", silent, "--introducer", silent, "--timeout", "1");

        assertEquals(ExitCodes.FAILURE, nat.exitCode(), nat::transcript);
        final List<String> lines = nat.outLines();
        assertTrue(lines.get(0).startsWith("nat: unknown  public: none  "), nat::transcript);
        assertEquals("udp: appears blocked: none of the 2 introducer(s) answered within 1 s", lines.get(1),
            nat::transcript);
        assertEquals("introducer " + silent + ": no answer", lines.get(3), nat::transcript);
    }
}
