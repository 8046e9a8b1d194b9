package dev.introducer.relay;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.RelayDataFlyweight;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forwarding allocates nothing: one million datagrams relayed between two bound legs on loopback, measured with
 * {@code ThreadMXBean} on the relay's worker thread.
 */
class ForwardingAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final int MAX_IN_FLIGHT = 512;

    @Test
    @Timeout(120)
    @DisplayName("1 M forwarded datagrams: 0 bytes allocated per datagram on the relay worker")
    void forwardingIsAllocationFree() throws Exception
    {
        final int port = RelayTestSupport.freeLoopbackPort();
        final Endpoint publicEndpoint = Endpoint.parse("127.0.0.1:" + port);
        try (RelayServer relay = new RelayServer(new RelayConfiguration().publicEndpoint(publicEndpoint)
            .secret(RelayServerTest.SECRET).sessionQuota(Integer.MAX_VALUE, Long.MAX_VALUE),
            new InetSocketAddress("127.0.0.1", port), 1, false, SystemEpochClock.INSTANCE);
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

            final ByteBuffer datagram = ByteBuffer.allocateDirect(RelayDataFlyweight.PAYLOAD_OFFSET + 64);
            new RelayDataFlyweight().wrapForRelayData(new UnsafeBuffer(datagram), 0, 64).channelId(channel);
            final ByteBuffer sink = ByteBuffer.allocateDirect(2048);
            final long worker = relay.workerThreadIds()[0];

            pump(a, b, datagram, sink, WARM_UP);
            final long before = THREADS.getThreadAllocatedBytes(worker);
            final long forwardedBefore = relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED);
            final long received = pump(a, b, datagram, sink, MEASURED);
            final long allocated = THREADS.getThreadAllocatedBytes(worker) - before;
            final long forwarded = relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED) - forwardedBefore;
            final double perDatagram = (double)allocated / forwarded;
            System.out.printf("relay forwarding: forwarded %,d, received %,d, worker allocated %,d B " +
                "(%.4f B/datagram)%n", forwarded, received, allocated, perDatagram);
            assertTrue(forwarded >= MEASURED * 0.9, "forwarded " + forwarded);
            assertTrue(perDatagram < 1.0, perDatagram + " B per forwarded datagram");
        }
    }

    private static long pump(final RelayClient from, final RelayClient to, final ByteBuffer datagram,
        final ByteBuffer sink, final int count) throws Exception
    {
        final InetSocketAddress relay = from.relay;
        long sent = 0;
        long received = 0;
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while ((sent < count || received < sent - count / 100) && System.nanoTime() < deadline)
        {
            if (sent < count && sent - received < MAX_IN_FLIGHT)
            {
                datagram.clear();
                from.channel.send(datagram, relay);
                sent++;
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
