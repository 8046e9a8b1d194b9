package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

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

    RunningNode() throws InterruptedException
    {
        thread = new Thread(() -> run.execute("node", "--listen", first, "--listen", second, "--json"), "test-node");
        thread.start();
        assertTrue(node.awaitListening(10_000), () -> "node did not start\n" + run.transcript());
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
