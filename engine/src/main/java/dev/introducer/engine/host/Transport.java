package dev.introducer.engine.host;

import org.agrona.DirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * The core's only way out: send a datagram from one of its local sockets, and open or close spray sockets.
 * Implemented by the Netty transport on real sockets and by the simulator in tests.
 * <p>
 * Socket ids are small non-negative ints chosen by the implementation. {@link #MAIN_SOCKET} always exists.
 */
public interface Transport
{
    /** The main socket: bound at start-up, used for introducers, keepalives and easy punches. */
    int MAIN_SOCKET = 0;
    /** Returned by {@link #openSocket()} when the socket budget is exhausted or the bind failed. */
    int NO_SOCKET = -1;

    /**
     * Sends a datagram. Never blocks; a datagram that cannot be sent now is dropped, as UDP may.
     *
     * @param socketId    local socket to send from.
     * @param destination where to.
     * @param buffer      holding the datagram.
     * @param offset      of the datagram.
     * @param length      of the datagram.
     * @return true if handed to the network.
     */
    boolean send(int socketId, Endpoint destination, DirectBuffer buffer, int offset, int length);

    /**
     * Opens a new socket on an ephemeral local port (a spray socket). Datagrams that arrive on it are delivered
     * to the core with its id.
     *
     * @return its id, or {@link #NO_SOCKET} when none can be had.
     */
    int openSocket();

    /**
     * Closes a socket opened with {@link #openSocket()}. Closing an unknown or already closed id does nothing.
     *
     * @param socketId to close.
     */
    void closeSocket(int socketId);

    /**
     * A connection to a peer now goes from this socket to this endpoint. A transport may open a connected socket
     * for the pair (the Netty transport does: its receive path then allocates nothing); the core keeps sending
     * through {@link #send} with the same socket id and endpoint.
     *
     * @param socketId the local socket the path uses.
     * @param remote   the peer's endpoint (copy it to keep it).
     */
    default void pathUp(final int socketId, final Endpoint remote)
    {
    }

    /**
     * A path announced by {@link #pathUp} is no longer used.
     *
     * @param socketId the local socket the path used.
     * @param remote   the peer's endpoint.
     */
    default void pathDown(final int socketId, final Endpoint remote)
    {
    }

    /**
     * The local (LAN) endpoint of the main socket: its interface address and port, as the host sees it. The
     * core asks again on every tick, so a changed address is noticed.
     *
     * @param into where to write it; family none if unknown.
     * @return into.
     */
    Endpoint localEndpoint(Endpoint into);
}
