package dev.introducer.engine.host;

/**
 * The core's timer: it asks to be woken, and the host calls it back with the time. The host may wake it
 * earlier or more often than asked; the core checks its own deadlines.
 */
public interface Scheduler
{
    /**
     * Asks for a call to the core's {@code onTimer(nowNs)} at or soon after a deadline. A later request with an
     * earlier deadline supersedes it; the host may keep only the earliest.
     *
     * @param deadlineNs in the same time base as the times the host passes in.
     */
    void wakeAt(long deadlineNs);
}
