package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * User errors: one line {@code introducer: error: ...} on stderr, nothing on stdout, exit code 2, no stack trace.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UserErrorTest
{
    @Test
    void badIntroducerAddress()
    {
        final CommandRun run = new CommandRun().execute("nat", "--introducer", "1.2.3", "--introducer", "1.2.3.4:5");

        assertOneLineUsageError(run, "introducer: error: --introducer: not an IP:PORT endpoint: '1.2.3'");
    }

    @Test
    void badAddressIsOneLineEvenWithoutTheLauncherHandlers()
    {
        final CommandRun run = new CommandRun(new CommandLine(new IntroducerCommand()))
            .execute("peer", "--introducer", "1.2.3", "--swarm", "s");

        assertOneLineUsageError(run, "introducer: error: --introducer: not an IP:PORT endpoint: '1.2.3'");
    }

    @Test
    void portInUseForNode() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final String address = "127.0.0.1:" + taken.getLocalPort();
            final CommandRun run = new CommandRun().execute("node", "--listen", address);

            assertOneLineUsageError(run, null);
            assertTrue(run.err().contains(address), run::transcript);
        }
    }

    @Test
    void portInUseForSecondListenAddressClosesTheFirst() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final String free = "127.0.0.1:" + CommandRun.freePort();
            final CommandRun run = new CommandRun().execute(
                "node", "--listen", free, "--listen", "127.0.0.1:" + taken.getLocalPort());

            assertEquals(ExitCodes.USAGE, run.exitCode(), run::transcript);
            // The first engine was closed: its port is free again.
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), Integer.parseInt(free.substring(free.indexOf(':') + 1)))))
            {
                assertTrue(again.isBound());
            }
        }
    }

    @Test
    void unknownOption()
    {
        final CommandRun run = new CommandRun().execute("nat", "--introducer", "127.0.0.1:1", "--frobnicate");

        assertOneLineUsageError(run, null);
        assertTrue(run.err().contains("--frobnicate") && run.err().contains("introducer nat --help"),
            run::transcript);
    }

    @Test
    void messageSizeTooSmall()
    {
        final CommandRun run = new CommandRun().execute(
            "peer", "--introducer", "127.0.0.1:1", "--swarm", "s", "--size", "8");

        assertOneLineUsageError(run, "introducer: error: --size must be 9..65503, got 8");
    }

    @Test
    void negativeTimeout()
    {
        final CommandRun run = new CommandRun().execute("nat", "--introducer", "127.0.0.1:1", "--timeout", "-1");

        assertOneLineUsageError(run, null);
    }

    @Test
    void missingSwarm()
    {
        final CommandRun run = new CommandRun().execute("peer", "--introducer", "127.0.0.1:1");

        assertOneLineUsageError(run, null);
        assertTrue(run.err().contains("--swarm"), run::transcript);
    }

    @Test
    void journalThatIsNotAJournal() throws Exception
    {
        final Path file = Files.createTempFile("not-a-journal", ".txt");
        try
        {
            Files.writeString(file, "these are someone's notes, not an attempt journal".repeat(4));
            final CommandRun run = new CommandRun().execute("peer", "--introducer", "127.0.0.1:9",
                "--swarm", "s", "--bind", "127.0.0.1:" + CommandRun.freePort(), "--journal", file.toString());

            assertOneLineUsageError(run, "introducer: error: --journal " + file +
                ": not an attempt journal (magic 0x73656874)");
            assertTrue(Files.readString(file).startsWith("these are"), "the file is left alone");
        }
        finally
        {
            Files.delete(file);
        }
    }

    @Test
    void nodeConfigFileMissing(@TempDir final Path dir)
    {
        final Path config = dir.resolve("missing.properties");
        final CommandRun run = new CommandRun().execute("node", "--config", config.toString());

        assertOneLineUsageError(run, null);
        assertTrue(run.err().startsWith("introducer: error: cannot read the config file " + config + ": "),
            run::transcript);
    }

    @Test
    void nodeConfigUnknownKey(@TempDir final Path dir) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("node.properties"), "listen=127.0.0.1:0\nlisen=1\n");
        final CommandRun run = new CommandRun().execute("node", "--config", config.toString());

        assertOneLineUsageError(run, "introducer: error: config file " + config + ": unknown key 'lisen' (keys: " +
            String.join(", ", NodeSettings.KEYS) + ")");
    }

    @Test
    void nodeConfigBadValue(@TempDir final Path dir) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("node.properties"), "keepalive = fast\n");
        final CommandRun run = new CommandRun().execute("node", "--config", config.toString());

        assertOneLineUsageError(run, "introducer: error: keepalive in " + config + ": not a number: 'fast'");
    }

    @Test
    void nodeConfigBadAddress(@TempDir final Path dir) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("node.properties"), "listen=127.0.0.1:0, 1.2.3\n");
        final CommandRun run = new CommandRun().execute("node", "--config", config.toString());

        assertOneLineUsageError(run,
            "introducer: error: listen in " + config + ": not an IP:PORT endpoint: '1.2.3'");
    }

    @Test
    void nodeEnvironmentBadValueNamesTheVariable()
    {
        final CommandRun run = new CommandRun();
        run.<NodeCommand>subcommand("node").environment(Map.of("INTRODUCER_NODE_KEEPALIVE", "-1"));
        run.execute("node", "--listen", "127.0.0.1:0");

        assertOneLineUsageError(run,
            "introducer: error: INTRODUCER_NODE_KEEPALIVE must be at least 0.001 seconds, got -1.0");
    }

    @Test
    void nodeEnvironmentNotAnInteger()
    {
        final CommandRun run = new CommandRun();
        run.<NodeCommand>subcommand("node").environment(Map.of("INTRODUCER_NODE_RELAY_WORKERS", "two"));
        run.execute("node", "--listen", "127.0.0.1:0");

        assertOneLineUsageError(run, "introducer: error: INTRODUCER_NODE_RELAY_WORKERS: not an integer: 'two'");
    }

    @Test
    void nodeUnknownEnvironmentVariable()
    {
        final CommandRun run = new CommandRun();
        run.<NodeCommand>subcommand("node").environment(Map.of("INTRODUCER_NODE_LISTN", "127.0.0.1:0"));
        run.execute("node");

        assertOneLineUsageError(run, null);
        assertTrue(run.err().startsWith("introducer: error: unknown environment variable INTRODUCER_NODE_LISTN"),
            run::transcript);
    }

    @Test
    void nodeBadId()
    {
        final CommandRun run = new CommandRun().execute("node", "--listen", "127.0.0.1:0", "--id", "abc");

        assertOneLineUsageError(run, "introducer: error: --id: an id is 64 hex digits, got 3 characters");
    }

    @Test
    void nodeUnreadableRelaySecret(@TempDir final Path dir)
    {
        final Path secret = dir.resolve("no-such.secret");
        final CommandRun run = new CommandRun().execute("node", "--listen", "127.0.0.1:0",
            "--relay", "127.0.0.1:" + CommandRun.freePort(), "--relay-secret-file", secret.toString());

        assertOneLineUsageError(run, null);
        assertTrue(run.err().startsWith("introducer: error: cannot read the relay secret " + secret + ": "),
            run::transcript);
    }

    @Test
    void metricsPortInUseClosesTheNodeAndLeavesNoCountersFile(@TempDir final Path dir) throws IOException
    {
        final Path countersFile = dir.resolve("counters.dat");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final String listen = "127.0.0.1:" + CommandRun.freePort();
            final CommandRun run = new CommandRun().execute("node", "--listen", listen,
                "--metrics", "127.0.0.1:" + taken.getLocalPort(), "--counters-file", countersFile.toString());

            assertOneLineUsageError(run, null);
            assertTrue(run.err().startsWith(
                "introducer: error: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": "),
                run::transcript);
            assertTrue(Files.notExists(countersFile), "a node that never listened leaves no counters file");
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), Integer.parseInt(listen.substring(listen.indexOf(':') + 1)))))
            {
                assertTrue(again.isBound(), "the engine was closed");
            }
        }
    }

    @Test
    void countersFileInUseByARunningNode(@TempDir final Path dir) throws InterruptedException
    {
        final Path countersFile = dir.resolve("counters.dat");
        try (RunningNode running = new RunningNode(countersFile))
        {
            final CommandRun run = new CommandRun().execute(
                "node", "--listen", "127.0.0.1:0", "--counters-file", countersFile.toString());

            assertOneLineUsageError(run, "introducer: error: the counters file " + countersFile +
                " is in use by a running node (pid " + ProcessHandle.current().pid() +
                "); give this node another --counters-file");
            assertEquals(countersFile, running.command().countersPath(), "the running node keeps its file");
            try (CountersFile kept = CountersFile.openReadOnly(countersFile))
            {
                assertEquals(0, kept.stopTimeMs(), "the refused node did not mark the running node's file stopped");
            }
        }
    }

    @Test
    void statWithoutCountersFile(@TempDir final Path dir)
    {
        final Path missing = dir.resolve("counters.dat");
        final CommandRun run = new CommandRun().execute("stat", "--counters-file", missing.toString());

        assertOneLineUsageError(run,
            "introducer: error: no counters file at " + missing + " (is the node running? see --counters-file)");
    }

    @Test
    void statOfAFileThatIsNoCountersFile(@TempDir final Path dir) throws IOException
    {
        final Path other = Files.write(dir.resolve("other.dat"), new byte[200_000]);
        final CommandRun run = new CommandRun().execute("stat", "--counters-file", other.toString());

        assertOneLineUsageError(run, "introducer: error: " + other + " is not a counters file of layout " +
            CountersFile.LAYOUT_VERSION + " (magic 0, version 0)");
    }

    private static void assertOneLineUsageError(final CommandRun run, final String expectedLine)
    {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::transcript);
        assertEquals("", run.out(), run::transcript);
        final List<String> lines = run.errLines();
        assertEquals(1, lines.size(), run::transcript);
        assertTrue(lines.get(0).startsWith("introducer: error: "), run::transcript);
        if (null != expectedLine)
        {
            assertEquals(expectedLine, lines.get(0), run::transcript);
        }
    }
}
