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
    void natHumanLine() throws InterruptedException
    {
        final CommandRun nat;
        try (RunningNode node = new RunningNode())
        {
            nat = new CommandRun().execute(
                Stream.concat(Stream.of("nat"), Stream.of(node.introducerArgs())).toArray(String[]::new));
        }

        assertEquals(ExitCodes.OK, nat.exitCode(), nat::transcript);
        assertTrue(nat.out().startsWith("nat: static  public: 127.0.0.1:"), nat::transcript);
        assertTrue(nat.out().contains("  mapping: endpoint-independent  filtering: open  local: "), nat::transcript);
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
        assertEquals("", nat.out(), nat::transcript);
        assertEquals(
            List.of("introducer: error: no answer from the introducers within 1.5 s (is UDP blocked?)"),
            nat.errLines(), nat::transcript);
    }
}
