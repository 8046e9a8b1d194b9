package dev.introducer.engine.transport;

import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * Where a socket delivers what it reads: the one inbound path of every socket kind (the Netty channels, the
 * connected per-peer sockets, the batcher's ring). The transport implements it once: it adds the time, guards the
 * call into its handler, and drops datagrams after close. Called on the transport's thread.
 */
@FunctionalInterface
interface DatagramSink
{
    /**
     * A datagram arrived.
     *
     * @param socketId the transport's id of the local socket it belongs to.
     * @param source   the sender (the sink copies it to keep it).
     * @param buffer   holding the datagram, valid during the call.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     */
    void onDatagram(int socketId, Endpoint source, MutableDirectBuffer buffer, int offset, int length);
}
