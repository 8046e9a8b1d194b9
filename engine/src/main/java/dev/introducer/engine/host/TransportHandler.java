package dev.introducer.engine.host;

import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * What a transport drives: a sans-IO core (the engine's core, the relay's core) that takes
 * datagrams and timer calls with the time, on the transport's thread.
 */
public interface TransportHandler
{
    /**
     * Called once, on the transport's thread, after the main socket is bound.
     *
     * @param nowNs the time.
     */
    void start(long nowNs);

    /**
     * A datagram arrived.
     *
     * @param nowNs    the time.
     * @param socketId the socket.
     * @param source   the sender (copy to keep).
     * @param buffer   holding the datagram, valid during the call.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     */
    void onDatagram(long nowNs, int socketId, Endpoint source, MutableDirectBuffer buffer, int offset, int length);

    /**
     * A {@link Scheduler#wakeAt} deadline came.
     *
     * @param nowNs the time.
     */
    void onTimer(long nowNs);

    /**
     * The transport closes: release what the core holds.
     */
    void close();
}
