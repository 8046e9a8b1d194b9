package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An {@code introducer node} on two loopback ports, run in-process on a thread of its own, stopped by
 * {@link #close()}: the introducers of the command tests.
 */
final class RunningNode implements AutoCloseable
{
    private final CommandRun run = new CommandRun();
    private final NodeCommand node = run.subcommand("node");
    private final String first = "127.0.0.1:" + CommandRun.freePort();
    private final String second = "127.0.0.1:" + CommandRun.freePort();
    private final Thread thread;

    /**
     * A node with its counters file in a temporary directory, so tests leave nothing in /dev/shm.
     */
    RunningNode() throws InterruptedException
    {
        this(tempCountersFile());
    }

    /**
     * A node with more arguments.
     *
     * @param countersFile where its counters go.
     * @param extraArgs    appended to {@code node --listen A --listen B --json --counters-file F}.
     */
    RunningNode(final Path countersFile, final String... extraArgs) throws InterruptedException
    {
        final String[] args = Stream.concat(Stream.of("node", "--listen", first, "--listen", second, "--json",
            "--counters-file", countersFile.toString()), Stream.of(extraArgs)).toArray(String[]::new);
        thread = new Thread(() -> run.execute(args), "test-node");
        thread.start();
        assertTrue(node.awaitListening(10_000), () -> "node did not start\n" + run.transcript());
    }

    NodeCommand command()
    {
        return node;
    }

    String first()
    {
        return first;
    }

    /**
     * The arguments that point a peer or a NAT check at this node's two addresses.
     *
     * @return {@code --introducer A --introducer B}.
     */
    String[] introducerArgs()
    {
        return new String[]{"--introducer", first, "--introducer", second};
    }

    CommandRun run()
    {
        return run;
    }

    private static Path tempCountersFile()
    {
        try
        {
            final Path dir = Files.createTempDirectory("introducer-test-");
            dir.toFile().deleteOnExit();
            final Path file = dir.resolve("counters.dat");
            file.toFile().deleteOnExit();
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Stops the node and waits for its command to return.
     */
    public void close()
    {
        node.stop();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        assertTrue(!thread.isAlive(), () -> "node did not stop\n" + run.transcript());
    }
}
