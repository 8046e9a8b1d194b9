package dev.introducer.engine.transport;

import org.agrona.ErrorHandler;

/**
 * The settings of a {@link NettyTransport}: batching, socket buffers, GRO/GSO, the NIO fallback, the error handler.
 */
public final class TransportOptions
{
    /** Datagrams per syscall on the connected sockets: 1, one {@code recv} and one {@code send} each. */
    public static final int DATAGRAM_BATCH_DEFAULT = 1;
    /** The most datagrams per {@code recvmmsg} / {@code sendmmsg} (each takes a 64 KiB ring slot). */
    public static final int DATAGRAM_BATCH_MAX = 256;

    int receiveBufferBytes = 4 * 1024 * 1024;
    int sendBufferBytes = 1024 * 1024;
    int datagramBatch = DATAGRAM_BATCH_DEFAULT;
    boolean udpGro;
    boolean udpGso;
    boolean forceNio;
    boolean sharePort;
    ErrorHandler errorHandler;

    /**
     * Where what the handler, its timer or a task throws on the transport's thread goes, instead of Netty's
     * event loop; the transport carries on. Default: a log line per distinct error.
     *
     * @param errorHandler the handler.
     * @return this.
     */
    public TransportOptions errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * SO_RCVBUF of every socket.
     *
     * @param bytes the size.
     * @return this.
     */
    public TransportOptions receiveBufferBytes(final int bytes)
    {
        this.receiveBufferBytes = bytes;
        return this;
    }

    /**
     * SO_SNDBUF of every socket.
     *
     * @param bytes the size.
     * @return this.
     */
    public TransportOptions sendBufferBytes(final int bytes)
    {
        this.sendBufferBytes = bytes;
        return this;
    }

    /**
     * Let several transports of this process bind the same main port (SO_REUSEPORT before the bind): the
     * relay's workers, one per core. Off by default, so that a port in use is an error.
     *
     * @param sharePort true to share.
     * @return this.
     */
    public TransportOptions sharePort(final boolean sharePort)
    {
        this.sharePort = sharePort;
        return this;
    }

    /**
     * Datagrams per syscall on the connected (per-peer) sockets. Above 1, a readiness event is read with
     * {@code recvmmsg} into an off-heap ring of that many 64 KiB slots (allocated at the first connected
     * socket), and what the core forwards from it goes out with one {@code sendmmsg} per destination after
     * the batch. Needs epoll and Netty's native {@code recvmmsg}; without them it stays at 1.
     *
     * @param datagrams 1..{@link #DATAGRAM_BATCH_MAX}.
     * @return this.
     */
    public TransportOptions datagramBatch(final int datagrams)
    {
        if (datagrams < 1 || datagrams > DATAGRAM_BATCH_MAX)
        {
            throw new IllegalArgumentException("datagram batch " + datagrams);
        }
        this.datagramBatch = datagrams;
        return this;
    }

    /**
     * {@code UDP_GRO} on the connected sockets (with a {@link #datagramBatch} above 1): the kernel may hand a
     * burst of one flow over as one coalesced datagram, which the transport cuts again before the core sees
     * it. Off by default.
     *
     * @param udpGro true to ask for it.
     * @return this.
     */
    public TransportOptions udpGro(final boolean udpGro)
    {
        this.udpGro = udpGro;
        return this;
    }

    /**
     * {@code UDP_SEGMENT} (GSO) on send (with a {@link #datagramBatch} above 1): a run of adjacent, same-size
     * datagrams the core forwards from one coalesced receive to one socket goes out as one send. Off by
     * default.
     *
     * @param udpGso true to use it where the kernel has it.
     * @return this.
     */
    public TransportOptions udpGso(final boolean udpGso)
    {
        this.udpGso = udpGso;
        return this;
    }

    /**
     * Use NIO even where epoll is available.
     *
     * @param forceNio true for NIO.
     * @return this.
     */
    public TransportOptions forceNio(final boolean forceNio)
    {
        this.forceNio = forceNio;
        return this;
    }
}
