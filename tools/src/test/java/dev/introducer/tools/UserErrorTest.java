package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("not-a-journal", ".txt");
        try
        {
            java.nio.file.Files.writeString(file, "these are someone's notes, not an attempt journal".repeat(4));
            final CommandRun run = new CommandRun().execute("peer", "--introducer", "127.0.0.1:9",
                "--swarm", "s", "--bind", "127.0.0.1:" + CommandRun.freePort(), "--journal", file.toString());

            assertOneLineUsageError(run, "introducer: error: --journal " + file +
                ": not an attempt journal (magic 0x73656874)");
            assertTrue(java.nio.file.Files.readString(file).startsWith("these are"), "the file is left alone");
        }
        finally
        {
            java.nio.file.Files.delete(file);
        }
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
