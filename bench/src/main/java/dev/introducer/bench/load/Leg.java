package dev.introducer.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.transport.SegmentedSender;

/**
 * One socket of a {@link RelayLoad} pair: leg A sends, leg B receives (and echoes). Its state belongs to the one
 * thread that drives every leg.
 */
final class Leg
{
    /** Socket buffers of every leg, and of the GSO senders: room for a burst while the relay catches up. */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    final int pair;
    final boolean sideB;
    final DatagramChannel channel;
    /** The datagram template this leg sends: one datagram, or {@code --gso} of them back to back. */
    final ByteBuffer transmit;
    final UnsafeBuffer transmitView;
    /** {@code --gso}, an A leg: its send-only native socket on the same port. */
    SegmentedSender gso;
    /** {@code --gso}, a B leg: the channel's file descriptor, read with {@code recvmmsg}. */
    int fd = -1;
    long sequence;
    long lastSequence = -1;
    boolean ready;
    int channelId;
    /** The datagram this leg repeats until its handshake is done. */
    ByteBuffer handshake;

    private Leg(final int pair, final boolean sideB, final DatagramChannel channel, final int size,
        final int segments)
    {
        this.pair = pair;
        this.sideB = sideB;
        this.channel = channel;
        this.transmit = ByteBuffer.allocateDirect(size * segments);
        this.transmitView = new UnsafeBuffer(transmit);
    }

    /**
     * Opens a non-blocking loopback socket on an ephemeral port (not connected yet).
     *
     * @param pair     the pair's index.
     * @param sideB    true for the receiving leg.
     * @param size     the datagram size.
     * @param segments datagrams per send ({@code --gso}, 1 without).
     * @return the leg.
     * @throws IOException if the socket cannot be opened.
     */
    static Leg open(final int pair, final boolean sideB, final int size, final int segments) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            return new Leg(pair, sideB, channel, size, segments);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Closes the socket (and the GSO sender).
     */
    void close()
    {
        if (null != gso)
        {
            gso.close();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing a UDP socket does not fail in a way we could act on.
        }
    }
}
