package dev.introducer.engine.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.NativeDatagramBatch;
import io.netty.channel.socket.SocketProtocolFamily;

/**
 * Sends bursts of equal-size datagrams with one {@code UDP_SEGMENT} (GSO) send each, from the local port of an
 * existing UDP socket, to one remote: a tool for load generators and tests that must offer the relay coalescible
 * traffic (on loopback the kernel delivers such a burst unsegmented to a socket with {@code UDP_GRO} on, and
 * segmented to any other). The existing socket must have {@code SO_REUSEPORT} set, after its bind, so that this
 * one can join its port; this socket never reads (what arrives on it, if the kernel picks it, is dropped).
 * Send-only, non-blocking, allocation-free after {@link #open}.
 */
public final class SegmentedSender implements AutoCloseable
{
    private final LinuxSocket socket;
    private final NativeDatagramBatch batch = new NativeDatagramBatch(1);

    private SegmentedSender(final LinuxSocket socket)
    {
        this.socket = socket;
    }

    /**
     * Whether the kernel and the native transport can do it here.
     *
     * @return true if they can.
     */
    public static boolean isAvailable()
    {
        return NativeDatagramBatch.isUdpSegmentSupported();
    }

    /**
     * Opens a connected socket on {@code local} (shared with {@code SO_REUSEPORT}) towards {@code remote}.
     *
     * @param local  the address and port of the socket whose port to share.
     * @param remote where the bursts go.
     * @return the sender.
     * @throws IOException if the socket cannot be opened, bound or connected.
     */
    public static SegmentedSender open(final InetSocketAddress local, final InetSocketAddress remote)
        throws IOException
    {
        final LinuxSocket socket = LinuxSocket.newSocketDgram(remote.getAddress() instanceof Inet4Address ?
            SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
        try
        {
            socket.setReusePort(true);
            socket.bind(local);
            socket.connect(remote);
            return new SegmentedSender(socket);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /**
     * SO_SNDBUF of the socket.
     *
     * @param bytes the size.
     * @throws IOException if the kernel refuses.
     */
    public void sendBufferBytes(final int bytes) throws IOException
    {
        socket.setSendBufferSize(bytes);
    }

    /**
     * Sends {@code segments} datagrams of {@code segmentLength} bytes, laid out one after the other from
     * {@code address}, as one GSO send (or one plain datagram when {@code segments} is 1).
     *
     * @param address       native memory holding the datagrams.
     * @param segmentLength the length of each.
     * @param segments      how many, 1..64, at most 65,507 bytes in all.
     * @return true if the kernel took them, false if its buffer was full.
     * @throws IOException on another socket error (a pending ICMP error, for one).
     */
    public boolean send(final long address, final int segmentLength, final int segments) throws IOException
    {
        batch.set(0, address, segmentLength * segments, segments > 1 ? segmentLength : 0);
        return batch.send(socket.intValue(), 0, 1) == 1;
    }

    /**
     * Closes the socket.
     */
    public void close()
    {
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
