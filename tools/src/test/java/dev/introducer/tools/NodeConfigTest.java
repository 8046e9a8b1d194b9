package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code introducer node}'s settings: option over environment over config file over default; the id kept in the
 * id file next to the config across restarts; the structured log lines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeConfigTest
{
    @Test
    void optionWinsOverEnvironmentWhichWinsOverTheFile(@TempDir final Path dir) throws Exception
    {
        final String fromFile = "127.0.0.1:" + CommandRun.freePort();
        final String fromEnvironment = "127.0.0.1:" + CommandRun.freePort();
        final String fromOption = "127.0.0.1:" + CommandRun.freePort();
        final Path config = Files.writeString(dir.resolve("node.properties"),
            "listen=" + fromFile + "\ncounters-file=counters.dat\n");
        final Map<String, String> environment = Map.of("INTRODUCER_NODE_LISTEN", fromEnvironment);

        assertEquals(List.of(fromFile), runNode(Map.of(), "--config", config.toString()).listening());
        assertEquals(List.of(fromEnvironment), runNode(environment, "--config", config.toString()).listening());
        assertEquals(List.of(fromOption),
            runNode(environment, "--config", config.toString(), "--listen", fromOption).listening());
    }

    @Test
    void aRelativePathInTheFileIsRelativeToTheFile(@TempDir final Path dir) throws Exception
    {
        final Path config = Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("node.properties"),
            "listen=127.0.0.1:0\ncounters-file=run/counters.dat\n");

        final NodeRun run = runNode(Map.of(), "--config", config.toString());

        assertEquals(dir.resolve("etc/run/counters.dat"), run.countersPath());
        assertTrue(Files.isRegularFile(run.countersPath()), run.run()::transcript);
    }

    @Test
    void generatedIdPersistsNextToTheConfig(@TempDir final Path dir) throws Exception
    {
        final Path config = Files.writeString(dir.resolve("node.properties"),
            "listen=127.0.0.1:0\ncounters-file=counters.dat\n");
        final Path idFile = dir.resolve(NodeSettings.ID_FILE_NAME);
        final Path counters = dir.resolve("counters.dat");

        runNode(Map.of(), "--config", config.toString());
        final String generated = Files.readString(idFile).strip();
        assertTrue(generated.matches("[0-9a-f]{64}"), generated);
        assertEquals(generated, nodeIdOf(counters));

        runNode(Map.of(), "--config", config.toString());
        assertEquals(generated, nodeIdOf(counters), "the restart reused the id");

        final String given = "0f".repeat(32);
        runNode(Map.of(), "--config", config.toString(), "--id", given);
        assertEquals(given, nodeIdOf(counters), "--id wins");
        assertEquals(generated, Files.readString(idFile).strip(), "the id file is kept for runs without --id");
    }

    @Test
    void aBadIdFileIsAUserError(@TempDir final Path dir) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("node.properties"), "listen=127.0.0.1:0\n");
        final Path idFile = Files.writeString(dir.resolve(NodeSettings.ID_FILE_NAME), "not-an-id\n");

        final CommandRun run = new CommandRun().execute("node", "--config", config.toString());

        assertEquals(ExitCodes.USAGE, run.exitCode(), run::transcript);
        assertEquals(List.of("introducer: error: the id file " + idFile +
            ": an id is 64 hex digits, got 9 characters"), run.errLines(), run::transcript);
    }

    @Test
    void logsOneLinePerStartBindStopAndConfigProblem(@TempDir final Path dir) throws Exception
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final NodeRun node;
        final CommandRun bad;
        try
        {
            node = runNode(Map.of(), "--listen", "127.0.0.1:0", "--counters-file", dir.resolve("c.dat").toString());
            bad = new CommandRun().execute("node", "--listen", "1.2.3");
        }
        finally
        {
            System.setErr(original);
        }
        final List<String> log = captured.toString(StandardCharsets.UTF_8).lines()
            .filter((line) -> line.contains(NodeLog.LOGGER_NAME + " - ")).toList();

        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::transcript);
        assertEquals(4, log.size(), String.join("\n", log));
        assertTrue(log.get(0).matches("INFO introducer\\.node - time=\\S+Z event=start id=[0-9a-f]{64} " +
            "id-source=random pid=\\d+ config=none counters-file=.*c\\.dat"), log.get(0));
        assertTrue(log.get(1).startsWith("INFO introducer.node - time="), log.get(1));
        assertTrue(log.get(1).endsWith("Z event=bind role=introducer address=" +
            node.listening().get(0) + " transport=" + (log.get(1).endsWith("epoll") ? "epoll" : "nio")), log.get(1));
        assertTrue(log.get(2).matches("INFO introducer\\.node - time=\\S+Z event=stop id=[0-9a-f]{64} " +
            "uptime-ms=\\d+ counters-file=.*c\\.dat"), log.get(2));
        assertTrue(log.get(3).startsWith("ERROR introducer.node - time="), log.get(3));
        assertTrue(log.get(3).endsWith("Z event=config-problem " +
            "reason=\"--listen: not an IP:PORT endpoint: '1.2.3'\""), log.get(3));
    }

    @Test
    void keyValueQuoting()
    {
        assertEquals("event=x a=1 b=\"two words\" c=\"say \\\"hi\\\"\" d=\"\"",
            NodeLog.line("x", "a", 1, "b", "two words", "c", "say \"hi\"", "d", ""));
    }

    /** A node run to its stop: started, listening, stopped as by a signal. */
    private record NodeRun(CommandRun run, List<String> listening, Path countersPath)
    {
    }

    private static NodeRun runNode(final Map<String, String> environment, final String... args) throws Exception
    {
        final CommandRun run = new CommandRun();
        final NodeCommand node = run.subcommand("node");
        node.environment(environment);
        final Thread thread = new Thread(
            () -> run.execute(Stream.concat(Stream.of("node"), Stream.of(args)).toArray(String[]::new)), "test-node");
        thread.start();
        assertTrue(node.awaitListening(10_000), run::transcript);
        final Path countersPath = node.countersPath();
        node.stop();
        thread.join(15_000);
        assertTrue(!thread.isAlive(), run::transcript);
        assertEquals(ExitCodes.OK, run.exitCode(), run::transcript);
        return new NodeRun(run, listening(run), countersPath);
    }

    private static List<String> listening(final CommandRun run)
    {
        return run.errLines().stream().filter((line) -> line.startsWith("introducer: listening on "))
            .map((line) -> line.substring("introducer: listening on ".length(), line.indexOf(" (")))
            .toList();
    }

    private static String nodeIdOf(final Path counters)
    {
        try (CountersFile file = CountersFile.openReadOnly(counters))
        {
            return file.nodeId();
        }
    }
}
