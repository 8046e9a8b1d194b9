package dev.introducer.engine.host;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.agrona.ErrorHandler;

/**
 * The engine's default {@link ErrorHandler}, for the callbacks (the core) and the transport alike: logs each
 * distinct error once (same type, same message, same stack), with its stack trace, and stays quiet on repeats, so
 * that a callback throwing on every message cannot flood the log; the core counts every occurrence
 * ({@code callback_errors}). Logging goes through {@link System.Logger},
 * which an application routes to its own logging framework. At most {@link #MAX_DISTINCT_ERRORS} kinds are
 * remembered; past that, one more line says so and later new kinds are only counted.
 */
public final class DistinctErrorLogger implements ErrorHandler
{
    /** Distinct errors remembered. */
    public static final int MAX_DISTINCT_ERRORS = 1_000;

    private final Logger logger;
    private final Set<List<Object>> seen = new HashSet<>();
    private boolean full;

    /**
     * Logs to the engine's logger, {@code dev.introducer.engine}.
     */
    public DistinctErrorLogger()
    {
        this(System.getLogger("dev.introducer.engine"));
    }

    /**
     * Logs to a given logger.
     *
     * @param logger where the first occurrence of each error goes.
     */
    public DistinctErrorLogger(final Logger logger)
    {
        this.logger = logger;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized void onError(final Throwable throwable)
    {
        if (full)
        {
            return;
        }
        final List<Object> key = List.of(throwable.getClass().getName(), String.valueOf(throwable.getMessage()),
            Arrays.asList(throwable.getStackTrace()));
        if (seen.contains(key))
        {
            return;
        }
        if (seen.size() >= MAX_DISTINCT_ERRORS)
        {
            full = true;
            logger.log(Level.WARNING, "more than " + MAX_DISTINCT_ERRORS + " distinct errors: later new ones are not " +
                "logged");
            return;
        }
        seen.add(key);
        logger.log(Level.WARNING, "error (logged once per kind): " + throwable,
            throwable);
    }
}
