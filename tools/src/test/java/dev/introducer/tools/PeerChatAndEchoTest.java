package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code introducer peer --chat} and {@code --echo} on loopback, in-process: two peers and a node.
 */
@DisplayName("introducer peer --chat and --echo")
class PeerChatAndEchoTest
{
    private static final Pattern SHORT_ID = Pattern.compile("introducer: peer ([0-9a-f]+) on ");

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads()
    {
        threads.shutdownNow();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("--chat: a line on one peer's stdin is printed by the other with the sender's short id")
    void chatLinesReachTheOtherPeerWithTheSendersShortId() throws Exception
    {
        try (RunningNode node = new RunningNode())
        {
            final CommandRun one = new CommandRun();
            final CommandRun two = new CommandRun();
            final PipedOutputStream toOne = stdin(one);
            final PipedOutputStream toTwo = stdin(two);
            final Future<?> runOne = start(one, node, "--chat", "--linger", "0.5");
            final Future<?> runTwo = start(two, node, "--chat", "--linger", "0.5");
            awaitTrue(() -> one.err().contains("connected to ") && two.err().contains("connected to "),
                () -> "both peers connect\n" + one.transcript() + two.transcript());

            send(toOne, "hello from one");
            awaitTrue(() -> two.out().contains(shortId(one) + ": hello from one"),
                () -> "two prints one's line\n" + two.transcript());
            send(toTwo, "héllo back, ünïcode");
            awaitTrue(() -> one.out().contains(shortId(two) + ": héllo back, ünïcode"),
                () -> "one prints two's line\n" + one.transcript());

            // the end of stdin ends the chat
            toOne.close();
            toTwo.close();
            runOne.get(20, TimeUnit.SECONDS);
            runTwo.get(20, TimeUnit.SECONDS);
            for (final CommandRun peer : List.of(one, two))
            {
                assertEquals(ExitCodes.OK, peer.exitCode(), peer::transcript);
                final List<String> lines = peer.outLines();
                assertEquals(2, lines.size(), "one chat line, then the summary: " + peer.transcript());
                assertTrue(lines.get(1).matches("summary: connected 1  received 1  ok"), peer::transcript);
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("--echo: every message is sent back, so a rounds peer completes from the echoes alone")
    void echoSendsEveryMessageBack() throws Exception
    {
        try (RunningNode node = new RunningNode())
        {
            final CommandRun echo = new CommandRun();
            final CommandRun sender = new CommandRun();
            final Future<?> runEcho = start(echo, node, "--echo", "--json", "--timeout", "60");
            final Future<?> runSender = start(sender, node, "--json", "--messages", "50", "--timeout", "30");

            runSender.get(45, TimeUnit.SECONDS);
            assertEquals(ExitCodes.OK, sender.exitCode(), sender::transcript);
            final List<String> senderLines = sender.outLines();
            assertEquals("{\"event\":\"summary\",\"connected\":1,\"received\":50,\"ok\":true}",
                senderLines.get(senderLines.size() - 1), sender::transcript);

            echo.<PeerCommand>subcommand("peer").stop();
            runEcho.get(20, TimeUnit.SECONDS);
            assertEquals(ExitCodes.OK, echo.exitCode(), echo::transcript);
            final List<String> echoLines = echo.outLines();
            final String summary = echoLines.get(echoLines.size() - 1);
            final Matcher counts = Pattern.compile(
                "\\{\"event\":\"summary\",\"connected\":1,\"received\":(\\d+),\"echoed\":(\\d+),\"ok\":true}")
                .matcher(summary);
            assertTrue(counts.matches(), echo::transcript);
            assertTrue(Long.parseLong(counts.group(2)) >= 50, "at least one batch echoed: " + summary);
            assertEquals(counts.group(1), counts.group(2), "every message received was echoed: " + summary);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @DisplayName("--echo and --chat together are a user error")
    void echoAndChatExcludeEachOther()
    {
        final CommandRun run = new CommandRun().execute("peer", "--echo", "--chat", "--swarm", "s",
            "--introducer", "127.0.0.1:1", "--introducer", "127.0.0.1:2");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::transcript);
        assertEquals(List.of("introducer: error: --echo and --chat exclude each other"), run.errLines());
    }

    private Future<?> start(final CommandRun peer, final RunningNode node, final String... options)
    {
        final String[] args = Stream.of(
            Stream.of("peer", "--swarm", "modes test"),
            Stream.of("--bind", "127.0.0.1:" + CommandRun.freePort()),
            Stream.of(node.introducerArgs()),
            Stream.of(options)).flatMap(s -> s).toArray(String[]::new);
        return threads.submit(() -> peer.execute(args));
    }

    private static PipedOutputStream stdin(final CommandRun peer) throws IOException
    {
        final PipedOutputStream writer = new PipedOutputStream();
        peer.<PeerCommand>subcommand("peer").input = new PipedInputStream(writer);
        return writer;
    }

    private static void send(final OutputStream stdin, final String line) throws IOException
    {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static String shortId(final CommandRun peer)
    {
        final Matcher matcher = SHORT_ID.matcher(peer.err());
        assertTrue(matcher.find(), peer::transcript);
        return matcher.group(1);
    }

    private static void awaitTrue(final BooleanSupplier condition, final Supplier<String> what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, what);
            Thread.sleep(20);
        }
    }
}
