package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.protocol.stun.StunBindingRequestEncoder;
import dev.introducer.tools.lab.NetLab;

/**
 * {@code introducer node} as its own process, as an operator runs it: SIGTERM stops it with exit code 0, a stop
 * line in the log and the counters flushed to the file; a user error is one {@code introducer: error:} line,
 * one {@code config-problem} log line and no stack trace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeProcessTest
{
    @Test
    void sigtermStopsTheNodeAndFlushesItsCounters(@TempDir final Path dir) throws Exception
    {
        final Path counters = dir.resolve("counters.dat");
        final Path stderr = dir.resolve("stderr.txt");
        final int port = CommandRun.freePort();
        // The publisher copies once at start and then sleeps for a minute: only the flush at stop can carry
        // the traffic below into the file.
        final int answeredBytes;
        final Process node = start(stderr, List.of("-D" + NodeCounters.PUBLISH_PERIOD_MS_PROP_NAME + "=60000"),
            "node", "--listen", "127.0.0.1:" + port, "--counters-file", counters.toString());
        try
        {
            awaitLine(node, stderr, "introducer: listening on 127.0.0.1:" + port);
            int answered = stunBinding(port); // answered: the engine has read and counted it
            NodeMetricsTest.sendGarbage("127.0.0.1:" + port);
            answered += stunBinding(port); // after the garbage, on the same thread: the garbage was counted too
            answeredBytes = answered;
            node.destroy(); // SIGTERM
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
        }
        finally
        {
            node.destroyForcibly();
        }

        final String log = Files.readString(stderr);
        assertEquals(ExitCodes.OK, node.exitValue(), log);
        assertTrue(log.matches("(?s).*\nINFO introducer\\.node - time=\\S+Z event=stop .*"), log);
        assertTrue(log.endsWith("introducer: stopped\n"), log);
        try (CountersFile file = CountersFile.openReadOnly(counters))
        {
            assertTrue(file.stopTimeMs() >= file.startTimeMs() && file.startTimeMs() > 0, log);
        }
        final Map<String, Long> values = NodeMetricsTest.fileValues(counters);
        assertEquals(2L, values.get("introducer_engine_stun_answered_total"), values::toString);
        assertEquals(1L, values.get("introducer_engine_dropped_total{reason=\"malformed\"}"), values::toString);
        assertEquals(3L, values.get("introducer_engine_datagrams_received_total"), values::toString);
        assertEquals(2L * StunBindingRequestEncoder.LENGTH + NodeMetricsTest.GARBAGE.length(),
            values.get("introducer_engine_bytes_received_total"), values::toString);
        assertEquals(2L, values.get("introducer_engine_datagrams_sent_total"), values::toString);
        assertEquals(answeredBytes, values.get("introducer_engine_bytes_sent_total"), values::toString);
    }

    /** Sends a STUN Binding request and waits for the answer; returns the answer's length. */
    private static int stunBinding(final int port) throws Exception
    {
        final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[StunBindingRequestEncoder.LENGTH]);
        final int length = StunBindingRequestEncoder.encode(transactionId, 0, request, 0);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(request.byteArray(), length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            final DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            socket.receive(answer);
            return answer.getLength();
        }
    }

    @Test
    void aUserErrorIsOneErrorLineAndOneLogLine(@TempDir final Path dir) throws Exception
    {
        final Path stderr = dir.resolve("stderr.txt");
        final Process node = start(stderr, List.of(), "node", "--listen", "127.0.0.1:0", "--keepalive", "-3");
        assertTrue(node.waitFor(60, TimeUnit.SECONDS));

        final List<String> lines = Files.readAllLines(stderr);
        assertEquals(ExitCodes.USAGE, node.exitValue(), String.join("\n", lines));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("ERROR introducer.node - time="), lines.get(0));
        assertTrue(lines.get(0).endsWith("Z event=config-problem " +
            "reason=\"--keepalive must be at least 0.001 seconds, got -3.0\""), lines.get(0));
        assertEquals("introducer: error: --keepalive must be at least 0.001 seconds, got -3.0", lines.get(1));
    }

    private static Process start(final Path stderr, final List<String> jvmOptions, final String... args)
        throws Exception
    {
        final List<String> command = new ArrayList<>(NetLab.javaCommand(IntroducerCommand.class.getName(), args));
        command.addAll(1, jvmOptions);
        return new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile())
            .redirectInput(new File("/dev/null"))
            .start();
    }

    private static void awaitLine(final Process process, final Path stderr, final String prefix) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs && process.isAlive())
        {
            if (Files.readAllLines(stderr).stream().anyMatch((line) -> line.startsWith(prefix)))
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + prefix + "':\n" + Files.readString(stderr));
    }
}
