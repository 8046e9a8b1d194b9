package dev.introducer.tools.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code introducer peer} processes running in the background of a lab, watched while they run: when each one's
 * log first shows a progress line ({@code round 1 complete}, {@code idle over; round 2}, ...), timed by this JVM's
 * clock, so that a test can act between the phases of a run (remap a NAT while the peers are idle) and time them.
 * The peers' logs hold stdout (JSON events) and stderr (progress lines) together.
 */
final class PeerWatch
{
    /** A peer's progress line once its first round is complete. */
    static final String ROUND_1_COMPLETE = "round 1 complete from";
    /** A peer's progress line when its idle time is over and round 2 starts. */
    static final String ROUND_2_STARTED = "idle over; round 2";
    /** A peer's progress line once its second round is complete. */
    static final String ROUND_2_COMPLETE = "round 2 complete from";

    private static final long POLL_MILLIS = 20;

    private final List<NetLab.Background> peers;

    /**
     * @param peers the running peers.
     */
    PeerWatch(final List<NetLab.Background> peers)
    {
        this.peers = List.copyOf(peers);
    }

    /**
     * Waits until every peer's log holds {@code line}, or the timeout, or every peer that lacks it has ended.
     *
     * @param line    the text to wait for.
     * @param timeout how long at most.
     * @return per peer (in order), the {@link System#nanoTime()} when the line was first seen, or
     *     {@link Long#MIN_VALUE} if it never came; the poll adds at most {@value #POLL_MILLIS} ms.
     */
    long[] await(final String line, final Duration timeout)
    {
        final long[] seenNs = new long[peers.size()];
        Arrays.fill(seenNs, Long.MIN_VALUE);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            boolean waiting = false;
            for (int i = 0; i < peers.size(); i++)
            {
                if (Long.MIN_VALUE != seenNs[i])
                {
                    continue;
                }
                final NetLab.Background peer = peers.get(i);
                final boolean alive = peer.isAlive();
                if (peer.log().contains(line))
                {
                    seenNs[i] = System.nanoTime();
                }
                else
                {
                    waiting |= alive;
                }
            }
            if (!waiting || System.nanoTime() - deadline > 0)
            {
                return seenNs;
            }
            sleep();
        }
    }

    /**
     * @param fromNs a {@link System#nanoTime()}.
     * @param toNs   a later one, or {@link Long#MIN_VALUE} for never.
     * @return the milliseconds between them, or infinity for never.
     */
    static double millis(final long fromNs, final long toNs)
    {
        return Long.MIN_VALUE == toNs || Long.MIN_VALUE == fromNs
            ? Double.POSITIVE_INFINITY : (toNs - fromNs) / (double)TimeUnit.MILLISECONDS.toNanos(1);
    }

    /**
     * Waits until every peer has ended by itself.
     *
     * @param timeout how long at most for all of them.
     * @return whether they all ended.
     */
    boolean awaitExit(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final NetLab.Background peer : peers)
        {
            if (!peer.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param index which peer.
     * @return its JSON events so far (complete lines only).
     */
    List<Map<String, Object>> events(final int index)
    {
        final String log = peers.get(index).log();
        return FlatJson.parseObjectLines(log.substring(0, log.lastIndexOf('\n') + 1));
    }

    /**
     * @param index which peer.
     * @param name  an event name.
     * @return its events of that name so far.
     */
    List<Map<String, Object>> events(final int index, final String name)
    {
        final List<Map<String, Object>> named = new ArrayList<>();
        for (final Map<String, Object> event : events(index))
        {
            if (name.equals(event.get("event")))
            {
                named.add(event);
            }
        }
        return named;
    }

    /**
     * @return every peer's log file and last lines, for failure messages.
     */
    String describe()
    {
        final StringBuilder out = new StringBuilder();
        for (final NetLab.Background peer : peers)
        {
            final List<String> lines = peer.log().lines().toList();
            out.append(System.lineSeparator()).append("  [").append(peer.host()).append("] ")
                .append(peer.logFile()).append(peer.isAlive() ? " (running)" : " (ended)");
            for (final String line : lines.subList(Math.max(0, lines.size() - 12), lines.size()))
            {
                out.append(System.lineSeparator()).append("    ").append(line);
            }
        }
        return out.toString();
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(POLL_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", ex);
        }
    }
}
