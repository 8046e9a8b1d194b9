package dev.introducer.tools;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Progress lines of a long command ({@code introducer demo}) on stderr: a line when a step starts, and while it
 * runs a "still ..." line every few seconds, so the user never watches a silent wait.
 */
final class Progress implements AutoCloseable
{
    /** How often a running step says it is still running. */
    static final long STILL_RUNNING_INTERVAL_DEFAULT_MS = 3_000;

    private final Console console;
    private final String prefix;
    private final long intervalMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task ->
    {
        final Thread thread = new Thread(task, "introducer-progress");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param console    where the lines go (stderr).
     * @param prefix     before every line, e.g. {@code "demo: "}.
     * @param intervalMs how often a running step reports.
     */
    Progress(final Console console, final String prefix, final long intervalMs)
    {
        this.console = console;
        this.prefix = prefix;
        this.intervalMs = intervalMs;
    }

    /**
     * Prints one line.
     *
     * @param message the line, without the prefix.
     */
    void say(final String message)
    {
        console.info(prefix + message);
    }

    /**
     * Runs a step: says {@code what…} first, then every interval {@code still what (N s)} until it returns.
     *
     * @param what the step, e.g. {@code "building lab 'nldemo-x1y2z'"}.
     * @param step the work.
     * @param <T>  its result type.
     * @return its result.
     */
    <T> T step(final String what, final Supplier<T> step)
    {
        say(what + "…");
        final long startNs = System.nanoTime();
        final ScheduledFuture<?> ticker = timer.scheduleAtFixedRate(() -> say("  still " + what + " (" +
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs) + " s)"),
            intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        try
        {
            return step.get();
        }
        finally
        {
            ticker.cancel(false);
        }
    }

    /**
     * Stops the ticker thread.
     */
    public void close()
    {
        timer.shutdownNow();
    }
}
