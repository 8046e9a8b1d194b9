package dev.introducer.engine.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulator's agenda. Ordered by time, then by the order of scheduling, so that equal-time events run
 * first-in first-out and a run is reproducible (netsim's heap gives no such guarantee).
 */
final class SimEventQueue
{
    private static final Comparator<Event> ORDER =
        Comparator.comparingLong((final Event event) -> event.timeNs).thenComparingLong(event -> event.sequence);

    private final PriorityQueue<Event> events = new PriorityQueue<>(ORDER);
    private long nextSequence;

    void add(final long timeNs, final Runnable action)
    {
        events.add(new Event(timeNs, nextSequence++, action));
    }

    boolean isEmpty()
    {
        return events.isEmpty();
    }

    long nextTimeNs()
    {
        return events.peek().timeNs;
    }

    Event poll()
    {
        return events.poll();
    }

    int size()
    {
        return events.size();
    }

    static final class Event
    {
        final long timeNs;
        final long sequence;
        final Runnable action;

        Event(final long timeNs, final long sequence, final Runnable action)
        {
            this.timeNs = timeNs;
            this.sequence = sequence;
            this.action = action;
        }
    }
}
