package dev.introducer.engine.sim;

import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * Code that runs on a simulated host: typically an adapter around the engine core. All calls come from the
 * simulator's single thread, with the simulated time.
 */
public interface SimApplication
{
    /**
     * Called once, when the host is started (or, if it is asleep then, when it wakes).
     *
     * @param context the host's transport, scheduler, clock and random generator; keep it.
     * @param nowNs   the start time.
     */
    void onStart(SimSocketContext context, long nowNs);

    /**
     * A datagram arrived on one of the host's sockets.
     *
     * @param nowNs    the arrival time.
     * @param socketId the receiving socket.
     * @param source   the sender as this host sees it (after any NAT on the way); reused, valid only during the
     *                 call: copy it to keep it.
     * @param buffer   over the simulator's copy of the datagram, valid only during the call.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     */
    void onDatagram(long nowNs, int socketId, Endpoint source, MutableDirectBuffer buffer, int offset, int length);

    /**
     * A {@link SimSocketContext#wakeAt(long)} deadline was reached, or the host woke from sleep with one
     * overdue. May be called more often than asked.
     *
     * @param nowNs the current time.
     */
    default void onTimer(final long nowNs)
    {
    }
}
