package dev.introducer.engine.transport;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.host.Transport;
import dev.introducer.engine.host.TransportHandler;
import dev.introducer.protocol.Endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The batched data path of the connected sockets ({@code recvmmsg}, {@code sendmmsg}, {@code UDP_GRO},
 * {@code UDP_SEGMENT}) delivers exactly what a datagram-at-a-time path would: every datagram whole, in order, and
 * a GSO re-send only for an unbroken run of datagrams the core forwarded.
 * <p>
 * The set-up is a miniature relay on loopback: a sender S, a transport R whose handler forwards every datagram
 * from S to a receiver D unless its first byte is {@link #REJECT}, and D. R has connected sockets to both.
 */
class BatchedDataPathTest
{
    private static final byte REJECT = (byte)0xEE;
    private static final int SEGMENT = 1200;
    private static final int BURST = 16;

    private DatagramChannel sender;
    private DatagramChannel receiver;
    private NettyTransport relay;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(65_536);

    @BeforeEach
    void setUp() throws Exception
    {
        assumeTrue(io.netty.channel.epoll.NativeDatagramBatch.isAvailable(), "no epoll recvmmsg here");
        sender = open();
        receiver = open();
        receiver.configureBlocking(false);
        relay = new NettyTransport(new InetSocketAddress("127.0.0.1", 0), new TransportOptions()
            .datagramBatch(64).udpGro(true).udpGso(true));
        final Endpoint senderEndpoint = Endpoint.parse("127.0.0.1:" + port(sender));
        final Endpoint receiverEndpoint = Endpoint.parse("127.0.0.1:" + port(receiver));
        relay.start(new Forwarder(relay, receiverEndpoint));
        relay.submit(() ->
        {
            relay.pathUp(Transport.MAIN_SOCKET, senderEndpoint);
            relay.pathUp(Transport.MAIN_SOCKET, receiverEndpoint);
            return null;
        }).get(5, TimeUnit.SECONDS);
        assertEquals(2, relay.connectedPaths());
        assertTrue(relay.isBatching(), "batched syscalls in use");
        sender.connect(relay.mainLocalAddress());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != relay)
        {
            relay.close();
        }
        if (null != sender)
        {
            sender.close();
        }
        if (null != receiver)
        {
            receiver.close();
        }
    }

    @Test
    @Timeout(20)
    @DisplayName("datagrams of 1 B to the largest UDP payload pass the batched path whole and in order")
    void everySizePassesWhole() throws Exception
    {
        final int[] sizes = {1, 64, 1200, 1473, 9000, 65_507, 2};
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] bytes = pattern(sizes[i], i);
            sent.add(bytes);
            sender.write(ByteBuffer.wrap(bytes));
        }
        final List<byte[]> received = receive(sizes.length);
        assertEquals(sizes.length, received.size());
        for (int i = 0; i < sizes.length; i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "datagram " + i + " of " + sizes[i] + " B");
        }
        assertEquals(0, relay.batchedSendsDropped());
    }

    @Test
    @Timeout(20)
    @DisplayName("a GSO burst arrives coalesced (UDP_GRO), each datagram is handed over alone, and the whole run " +
        "is forwarded as one GSO send")
    void coalescedBurstIsForwardedAsOneGsoSend() throws Exception
    {
        assumeTrue(SegmentedSender.isAvailable(), "no UDP_SEGMENT on this kernel");
        final UnsafeBuffer burst = burst(-1);
        try (SegmentedSender gso = segmentedSender())
        {
            assertTrue(gso.send(burst.addressOffset(), SEGMENT, BURST));
            final List<byte[]> received = receive(BURST);
            assertEquals(BURST, received.size());
            for (int i = 0; i < BURST; i++)
            {
                assertArrayEquals(segment(burst, i), received.get(i), "datagram " + i);
            }
        }
        assertEquals(1, relay.coalescedReceives(), "one coalesced receive");
        assertEquals(1, relay.gsoSends(), "one GSO send");
    }

    @Test
    @Timeout(20)
    @DisplayName("a datagram the core drops in the middle of a burst splits the GSO re-send around it")
    void rejectedDatagramSplitsTheRun() throws Exception
    {
        assumeTrue(SegmentedSender.isAvailable(), "no UDP_SEGMENT on this kernel");
        final int rejected = 5;
        final UnsafeBuffer burst = burst(rejected);
        try (SegmentedSender gso = segmentedSender())
        {
            assertTrue(gso.send(burst.addressOffset(), SEGMENT, BURST));
            final List<byte[]> received = receive(BURST - 1);
            assertEquals(BURST - 1, received.size());
            int next = 0;
            for (int i = 0; i < BURST; i++)
            {
                if (i != rejected)
                {
                    assertArrayEquals(segment(burst, i), received.get(next++), "datagram " + i);
                }
            }
        }
        assertEquals(1, relay.coalescedReceives());
        assertEquals(2, relay.gsoSends(), "datagrams 0-4 and 6-15, each run as one GSO send");
    }

    private SegmentedSender segmentedSender() throws Exception
    {
        sender.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        return SegmentedSender.open((InetSocketAddress)sender.getLocalAddress(), relay.mainLocalAddress());
    }

    private static UnsafeBuffer burst(final int rejected)
    {
        final UnsafeBuffer burst = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SEGMENT * BURST, 64));
        for (int i = 0; i < BURST; i++)
        {
            burst.putBytes(i * SEGMENT, pattern(SEGMENT, i));
            if (i == rejected)
            {
                burst.putByte(i * SEGMENT, REJECT);
            }
        }
        return burst;
    }

    private static byte[] segment(final UnsafeBuffer burst, final int index)
    {
        final byte[] bytes = new byte[SEGMENT];
        burst.getBytes(index * SEGMENT, bytes);
        return bytes;
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i * 7);
        }
        bytes[0] = (byte)seed;
        return bytes;
    }

    private List<byte[]> receive(final int count) throws Exception
    {
        final List<byte[]> received = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < count && System.nanoTime() < deadline)
        {
            sink.clear();
            if (null == receiver.receive(sink))
            {
                Thread.sleep(1);
                continue;
            }
            sink.flip();
            final byte[] bytes = new byte[sink.remaining()];
            sink.get(bytes);
            received.add(bytes);
        }
        Thread.sleep(50);
        sink.clear();
        assertEquals(null, receiver.receive(sink), "nothing more than expected");
        return received;
    }

    private static DatagramChannel open() throws Exception
    {
        final DatagramChannel channel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }

    private static int port(final DatagramChannel channel) throws Exception
    {
        return ((InetSocketAddress)channel.getLocalAddress()).getPort();
    }

    /** Forwards every datagram to one endpoint, from the memory it arrived in, unless it starts with REJECT. */
    private static final class Forwarder implements TransportHandler
    {
        private final Transport transport;
        private final Endpoint to;

        Forwarder(final Transport transport, final Endpoint to)
        {
            this.transport = transport;
            this.to = to;
        }

        public void start(final long nowNs)
        {
        }

        public void onDatagram(final long nowNs, final int socketId, final Endpoint source,
            final MutableDirectBuffer buffer, final int offset, final int length)
        {
            if (buffer.getByte(offset) != REJECT)
            {
                transport.send(socketId, to, buffer, offset, length);
            }
        }

        public void onTimer(final long nowNs)
        {
        }

        public void close()
        {
        }
    }
}
