package dev.introducer.relay;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.BufferUtil;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.introducer.engine.transport.SegmentedSender;

import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.RelayDataFlyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Forwarding allocates nothing: one million datagrams relayed between two bound legs on loopback, measured with
 * {@code ThreadMXBean} on the relay's worker thread, on each data path of the legs' sockets: one syscall per
 * datagram, {@code recvmmsg}/{@code sendmmsg} batches, and batches with {@code UDP_GRO}/{@code UDP_SEGMENT} fed
 * by a sender that sends GSO bursts.
 */
class ForwardingAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final int MAX_IN_FLIGHT = 512;
    private static final int PAYLOAD = 64;
    private static final int GSO_BURST = 16;

    /** The data paths of the legs' sockets. */
    enum DataPath
    {
        /** One {@code recv} and one {@code send} per datagram. */
        SINGLE(1, false, 1),
        /** The default: batches of 64. */
        BATCHED(RelayServer.DATAGRAM_BATCH_DEFAULT, false, 1),
        /** Batches with GRO and GSO, the sender sending bursts of 16 with GSO. */
        OFFLOAD(RelayServer.DATAGRAM_BATCH_DEFAULT, true, GSO_BURST);

        final int batch;
        final boolean offload;
        final int burst;

        DataPath(final int batch, final boolean offload, final int burst)
        {
            this.batch = batch;
            this.offload = offload;
            this.burst = burst;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DataPath.class)
    @Timeout(120)
    @DisplayName("1 M forwarded datagrams: 0 bytes allocated per datagram on the relay worker")
    void forwardingIsAllocationFree(final DataPath path) throws Exception
    {
        assumeTrue(path.burst == 1 || SegmentedSender.isAvailable(), "no UDP_SEGMENT on this kernel");
        final int port = RelayTestSupport.freeLoopbackPort();
        final Endpoint publicEndpoint = Endpoint.parse("127.0.0.1:" + port);
        try (RelayServer relay = new RelayServer(new RelayConfiguration().publicEndpoint(publicEndpoint)
            .secret(RelayServerTest.SECRET).sessionQuota(Integer.MAX_VALUE, Long.MAX_VALUE),
            new InetSocketAddress("127.0.0.1", port), 1, false, SystemEpochClock.INSTANCE, path.batch,
            path.offload);
            RelayClient a = new RelayClient(relay.localAddress());
            RelayClient b = new RelayClient(relay.localAddress()))
        {
            final Id32 alice = Id32.sha256("alice");
            final Id32 bob = Id32.sha256("bob");
            final long expiry = System.currentTimeMillis() + 60_000;
            a.send(RelayClient.bind(RelayServerTest.SECRET, 1, expiry, alice, bob, publicEndpoint));
            a.awaitAck(2000);
            b.send(RelayClient.bind(RelayServerTest.SECRET, 1, expiry, bob, alice, publicEndpoint));
            final int channel = b.awaitAck(2000).channelId();
            a.awaitAck(2000);

            final int length = RelayDataFlyweight.PAYLOAD_OFFSET + PAYLOAD;
            final ByteBuffer datagram = BufferUtil.allocateDirectAligned(length * path.burst, 64);
            final UnsafeBuffer datagrams = new UnsafeBuffer(datagram);
            for (int i = 0; i < path.burst; i++)
            {
                new RelayDataFlyweight().wrapForRelayData(datagrams, i * length, PAYLOAD).channelId(channel);
            }
            datagram.limit(length);
            final ByteBuffer sink = ByteBuffer.allocateDirect(2048);
            final long worker = relay.workerThreadIds()[0];
            a.channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            try (SegmentedSender gso = path.burst > 1 ?
                SegmentedSender.open((InetSocketAddress)a.channel.getLocalAddress(), relay.localAddress()) : null)
            {
                final Sender sender = null == gso ? () -> a.channel.send(datagram.clear().limit(length), a.relay) :
                    () -> gso.send(datagrams.addressOffset(), length, path.burst);

                pump(sender, path.burst, b, sink, WARM_UP);
                final long before = THREADS.getThreadAllocatedBytes(worker);
                final long cpuBefore = THREADS.getThreadCpuTime(worker);
                final long forwardedBefore = relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED);
                final long received = pump(sender, path.burst, b, sink, MEASURED);
                final long allocated = THREADS.getThreadAllocatedBytes(worker) - before;
                final long cpuNs = THREADS.getThreadCpuTime(worker) - cpuBefore;
                final long forwarded = relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED) - forwardedBefore;
                final double perDatagram = (double)allocated / forwarded;
                // The worker's CPU time is printed for the README's comparison of the paths, not asserted.
                System.out.printf("relay forwarding (%s): forwarded %,d, received %,d, worker allocated %,d B " +
                    "(%.4f B/datagram), worker CPU %.3f us/datagram; coalesced receives %,d, GSO sends %,d%n", path,
                    forwarded, received, allocated, perDatagram, cpuNs / 1e3 / forwarded, relay.coalescedReceives(),
                    relay.gsoSends());
                assertEquals(path.batch > 1, relay.isBatching(), "batched syscalls in use");
                assertTrue(forwarded >= MEASURED * 0.9, "forwarded " + forwarded);
                assertTrue(perDatagram < 1.0, perDatagram + " B per forwarded datagram");
                if (path.offload)
                {
                    assertTrue(relay.coalescedReceives() > 0, "the relay received coalesced bursts");
                    assertTrue(relay.gsoSends() > 0, "the relay forwarded bursts with GSO");
                }
            }
        }
    }

    /** Sends one datagram, or one burst. */
    @FunctionalInterface
    private interface Sender
    {
        void send() throws Exception;
    }

    private static long pump(final Sender from, final int burst, final RelayClient to, final ByteBuffer sink,
        final int count) throws Exception
    {
        long sent = 0;
        long received = 0;
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while ((sent < count || received < sent - count / 100) && System.nanoTime() < deadline)
        {
            if (sent < count && sent - received < MAX_IN_FLIGHT)
            {
                from.send();
                sent += burst;
            }
            sink.clear();
            while (null != to.channel.receive(sink))
            {
                received++;
                sink.clear();
            }
            if (sent >= count && received < sent)
            {
                Thread.onSpinWait();
                if (System.nanoTime() > deadline - 55_000_000_000L && received >= sent - MAX_IN_FLIGHT)
                {
                    break;
                }
            }
        }
        return received;
    }
}
