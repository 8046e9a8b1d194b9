package dev.introducer.tools;

import java.io.PrintWriter;

/**
 * Where a command writes: machine output (JSON, results) to stdout, one line at a time and flushed per line so a
 * reader sees each event as it happens; human progress to stderr. Safe from several threads: the engine's thread
 * reports events while the command's thread prints the summary, and a line is never interleaved with another.
 */
public final class Console
{
    /** Prefix of every human line on stderr. */
    public static final String PREFIX = "introducer: ";

    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * A console over picocli's writers (which tests may replace).
     *
     * @param out standard output.
     * @param err standard error.
     */
    public Console(final PrintWriter out, final PrintWriter err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * Writes one line to stdout and flushes it.
     *
     * @param line without a line separator.
     */
    public void out(final String line)
    {
        synchronized (out)
        {
            out.println(line);
            out.flush();
        }
    }

    /**
     * Writes one human line to stderr, prefixed with {@code introducer: }, and flushes it.
     *
     * @param message without a line separator.
     */
    public void info(final String message)
    {
        synchronized (err)
        {
            err.println(PREFIX + message);
            err.flush();
        }
    }

    /**
     * Writes {@code introducer: error: <reason>} to stderr and flushes it.
     *
     * @param reason one line.
     */
    public void error(final String reason)
    {
        info("error: " + reason);
    }
}
