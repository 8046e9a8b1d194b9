package dev.introducer.tools;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's structured log through SLF4J: one line per event, {@code time=<ISO instant> event=<name>} then
 * {@code key=value} pairs, values quoted when they hold a space, a quote or an equals sign. The events are
 * {@code start}, {@code bind} (one per socket: each listen address, the relay, the metrics endpoint),
 * {@code stop} and {@code config-problem}.
 */
final class NodeLog
{
    /** The logger's name, for a logging configuration. */
    static final String LOGGER_NAME = "introducer.node";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private NodeLog()
    {
    }

    /**
     * Logs an event at INFO.
     *
     * @param event     the event's name.
     * @param keyValues alternating keys and values.
     */
    static void info(final String event, final Object... keyValues)
    {
        if (LOG.isInfoEnabled())
        {
            LOG.info(timed(event, keyValues));
        }
    }

    /**
     * Logs an event at ERROR.
     *
     * @param event     the event's name.
     * @param keyValues alternating keys and values.
     */
    static void error(final String event, final Object... keyValues)
    {
        LOG.error(timed(event, keyValues));
    }

    private static String timed(final String event, final Object... keyValues)
    {
        return "time=" + Instant.now() + " " + line(event, keyValues);
    }

    /**
     * The text of an event, without its time.
     *
     * @param event     the event's name.
     * @param keyValues alternating keys and values.
     * @return {@code event=<name> k1=v1 k2="v 2"}.
     */
    static String line(final String event, final Object... keyValues)
    {
        final StringBuilder line = new StringBuilder(128).append("event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2)
        {
            line.append(' ').append(keyValues[i]).append('=');
            final String value = String.valueOf(keyValues[i + 1]);
            if (value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('"') >= 0 || value.indexOf('=') >= 0)
            {
                line.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            else
            {
                line.append(value);
            }
        }
        return line.toString();
    }
}
