package dev.introducer.engine.host;

import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's default error handler logs each distinct error once, with its cause, and never floods the log.
 */
class DistinctErrorLoggerTest
{
    /** Keeps what was logged. */
    private static final class CapturingLogger implements Logger
    {
        final List<String> lines = new ArrayList<>();
        final List<Throwable> causes = new ArrayList<>();

        public String getName()
        {
            return "capturing";
        }

        public boolean isLoggable(final Level level)
        {
            return true;
        }

        public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
        {
            lines.add(message);
            causes.add(thrown);
        }

        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            lines.add(format);
            causes.add(null);
        }

        public void log(final Level level, final Supplier<String> messageSupplier)
        {
            lines.add(messageSupplier.get());
            causes.add(null);
        }
    }

    private static IllegalStateException thrownAt(final int site)
    {
        // Two call sites, so the two kinds differ in their stack traces only.
        return 0 == site ? new IllegalStateException("bug") : new IllegalStateException("bug");
    }

    @Test
    @DisplayName("the same error a thousand times is one log line; another kind of error is a second")
    void logsEachDistinctErrorOnce()
    {
        final CapturingLogger logger = new CapturingLogger();
        final DistinctErrorLogger handler = new DistinctErrorLogger(logger);
        final IllegalStateException first = thrownAt(0);
        for (int i = 0; i < 1_000; i++)
        {
            handler.onError(first);
        }
        assertEquals(1, logger.lines.size());
        assertSame(first, logger.causes.get(0), "logged with its stack trace");

        handler.onError(new IllegalArgumentException("other"));
        handler.onError(thrownAt(1));
        assertEquals(3, logger.lines.size(), "another type, and the same type from another place, are new");
    }

    @Test
    @DisplayName("past the bound on distinct errors, one line says so and the rest are only counted")
    void boundedMemory()
    {
        final CapturingLogger logger = new CapturingLogger();
        final DistinctErrorLogger handler = new DistinctErrorLogger(logger);
        for (int i = 0; i < DistinctErrorLogger.MAX_DISTINCT_ERRORS + 500; i++)
        {
            handler.onError(new IllegalStateException("error " + i));
        }
        assertEquals(DistinctErrorLogger.MAX_DISTINCT_ERRORS + 1, logger.lines.size());
        assertTrue(logger.lines.get(DistinctErrorLogger.MAX_DISTINCT_ERRORS).contains("not logged"));
    }
}
