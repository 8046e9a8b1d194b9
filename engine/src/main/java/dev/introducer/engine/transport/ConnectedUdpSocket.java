package dev.introducer.engine.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.NativeDatagramBatch;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.Future;

import dev.introducer.protocol.Endpoint;

/**
 * A peer's connected UDP socket: the data path. It shares the local port of the socket the path uses
 * ({@code SO_REUSEPORT}), so the kernel hands it exactly that peer's datagrams.
 * <p>
 * It is not a Netty channel but a raw native socket registered on the same epoll event loop as an
 * {@link EpollIoHandle}: Netty's connected datagram read wraps every datagram in a new {@code DatagramPacket},
 * and only escape analysis, which the JIT does not promise, would remove it. Here a read is
 * {@code recv} into one preallocated direct buffer and a send is {@code send} from the caller's memory: no
 * allocation and no copy, by construction. With a {@link DatagramBatcher} (the transport's datagram batch above 1)
 * a readiness event is read with {@code recvmmsg} instead, and what the core forwards meanwhile goes out with
 * {@code sendmmsg} after the batch. Either way what it reads goes to a {@link DatagramSink}.
 */
final class ConnectedUdpSocket implements EpollIoHandle
{
    /** Datagrams read per readiness event before giving the loop back (level-triggered: the rest come next). */
    private static final int READS_PER_EVENT = 64;

    private final DatagramSink sink;
    private final int socketId;
    private final Endpoint remote;
    private final LinuxSocket socket;
    private final UnsafeBuffer receiveBuffer;
    private final DatagramBatcher batcher;
    private IoRegistration registration;
    private int users = 1;
    private boolean closed;

    private ConnectedUdpSocket(final DatagramSink sink, final int socketId, final Endpoint remote,
        final LinuxSocket socket, final UnsafeBuffer receiveBuffer, final DatagramBatcher batcher)
    {
        this.sink = sink;
        this.socketId = socketId;
        this.remote = remote;
        this.socket = socket;
        this.receiveBuffer = receiveBuffer;
        this.batcher = batcher;
    }

    /**
     * Opens, binds to the parent's local address, connects and registers a socket for reading.
     *
     * @param sink    where what it reads goes.
     * @param batcher batched reads and writes, or null for one syscall per datagram; with its {@code UDP_GRO} on,
     *                the socket asks the kernel for it (and goes without if the kernel refuses).
     * @return the socket, or null if any step failed (the path then stays on the shared socket).
     */
    static ConnectedUdpSocket open(
        final IoEventLoop loop, final DatagramSink sink, final int socketId, final Endpoint remote,
        final InetSocketAddress local, final InetSocketAddress remoteAddress, final UnsafeBuffer receiveBuffer,
        final int receiveBufferBytes, final int sendBufferBytes, final DatagramBatcher batcher)
    {
        LinuxSocket socket = null;
        try
        {
            socket = LinuxSocket.newSocketDgram(remoteAddress.getAddress() instanceof Inet4Address ?
                SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
            socket.setReusePort(true);
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.setSendBufferSize(sendBufferBytes);
            socket.bind(local);
            socket.connect(remoteAddress);
            if (null != batcher && batcher.isGro())
            {
                enableGro(socket);
            }
            final ConnectedUdpSocket connected =
                new ConnectedUdpSocket(sink, socketId, remote, socket, receiveBuffer, batcher);
            final Future<IoRegistration> registered = loop.register(connected);
            if (!registered.isDone() || !registered.isSuccess())
            {
                socket.close();
                return null;
            }
            connected.registration = registered.getNow();
            connected.registration.submit(EpollIoOps.EPOLLIN);
            return connected;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != socket)
            {
                try
                {
                    socket.close();
                }
                catch (final IOException ignore)
                {
                    // Already failing: the path stays on the shared socket.
                }
            }
            return null;
        }
    }

    private static void enableGro(final LinuxSocket socket)
    {
        try
        {
            NativeDatagramBatch.enableGro(socket);
        }
        catch (final IOException ex)
        {
            // An older kernel: the socket receives every datagram on its own, which is correct, only dearer.
        }
    }

    int socketId()
    {
        return socketId;
    }

    Endpoint remote()
    {
        return remote;
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * One more path uses this socket (several relayed peers share the relay's endpoint).
     */
    void retain()
    {
        users++;
    }

    /**
     * One path fewer.
     *
     * @return true when nobody uses it any more.
     */
    boolean release()
    {
        return --users <= 0;
    }

    /**
     * Sends one datagram to the peer from the caller's memory. During a batched read, a datagram the core forwards
     * from the receive ring is queued and goes out with the batch's flush.
     *
     * @return true if the kernel took it (or it is queued for the flush).
     */
    boolean send(final DirectBuffer buffer, final int offset, final int length, final UnsafeBuffer staging)
    {
        if (closed)
        {
            return false;
        }
        if (null != batcher)
        {
            if (batcher.queue(this, buffer, offset, length))
            {
                return true;
            }
            batcher.flush();
        }
        try
        {
            if (null == buffer.byteArray())
            {
                return socket.sendAddress(buffer.addressOffset() + offset, 0, length) == length;
            }
            staging.putBytes(0, buffer, offset, length);
            return socket.sendAddress(staging.addressOffset(), 0, length) == length;
        }
        catch (final IOException ex)
        {
            // ECONNREFUSED and friends from an ICMP error: UDP may drop; liveness notices a dead peer.
            return false;
        }
    }

    /**
     * Sends one datagram from native memory, at once.
     *
     * @return true if the kernel took it.
     */
    boolean sendNow(final long address, final int length)
    {
        try
        {
            return !closed && socket.sendAddress(address, 0, length) == length;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * {@inheritDoc}
     */
    public LinuxSocket fd()
    {
        return socket;
    }

    /**
     * {@inheritDoc}
     */
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        if (null != batcher)
        {
            batcher.drain(this);
            return;
        }
        for (int i = 0; i < READS_PER_EVENT && !closed; i++)
        {
            final int length;
            try
            {
                length = socket.recvAddress(receiveBuffer.addressOffset(), 0, receiveBuffer.capacity());
            }
            catch (final IOException ex)
            {
                // A pending ICMP error is reported once; the next read goes on.
                continue;
            }
            if (length <= 0)
            {
                return;
            }
            sink.onDatagram(socketId, remote, receiveBuffer, 0, length);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != registration)
        {
            registration.cancel();
        }
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Closing a UDP socket does not fail in a way we could act on.
        }
    }
}
