package dev.introducer.relay;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.SplittableRandom;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.Engine;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One million random and mutated datagrams thrown at a running node (its relay port and its introducer port):
 * a healthy relayed session keeps forwarding throughout, and threads, sessions and heap stay flat.
 */
class GarbageRobustnessTest
{
    private static final int GARBAGE = 1_000_000;
    private static final int HEALTHY_EVERY = 500;

    @Test
    @Timeout(180)
    @DisplayName("1 M garbage datagrams at the relay and introducer ports: forwarding goes on, resources stay flat")
    void garbageDoesNotHurt() throws Exception
    {
        final int port = RelayTestSupport.freeLoopbackPort();
        final Endpoint publicEndpoint = Endpoint.parse("127.0.0.1:" + port);
        try (RelayServer relay = new RelayServer(new RelayConfiguration().publicEndpoint(publicEndpoint)
            .secret(RelayServerTest.SECRET), new InetSocketAddress("127.0.0.1", port), 2, false,
            SystemEpochClock.INSTANCE);
            Engine node = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build();
            RelayClient a = new RelayClient(relay.localAddress());
            RelayClient b = new RelayClient(relay.localAddress());
            DatagramChannel attacker = DatagramChannel.open())
        {
            final long expiry = System.currentTimeMillis() + 600_000;
            final Id32 alice = Id32.sha256("alice");
            final Id32 bob = Id32.sha256("bob");
            final byte[] aliceBind = RelayClient.bind(RelayServerTest.SECRET, 3, expiry, alice, bob, publicEndpoint);
            a.send(aliceBind);
            a.awaitAck(2000);
            b.send(RelayClient.bind(RelayServerTest.SECRET, 3, expiry, bob, alice, publicEndpoint));
            final int channel = b.awaitAck(2000).channelId();
            a.awaitAck(2000);
            attacker.bind(new InetSocketAddress("127.0.0.1", 0));
            attacker.configureBlocking(false);

            final InetSocketAddress relayAddress = relay.localAddress();
            final InetSocketAddress nodeAddress = node.localAddress();
            final int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            final long heapBefore = RelayTestSupport.usedHeapAfterGc();

            final SplittableRandom random = new SplittableRandom(20261124);
            final ByteBuffer datagram = ByteBuffer.allocate(1500);
            final byte[] validData = dataFrame(channel);
            final byte[] validPing = pingFrame();
            final ByteBuffer sink = ByteBuffer.allocate(2048);
            int healthySent = 0;
            int healthyReceived = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < GARBAGE; i++)
            {
                fillGarbage(random, datagram, i, aliceBind, validData, validPing);
                attacker.send(datagram, (i & 1) == 0 ? relayAddress : nodeAddress);
                if (i % HEALTHY_EVERY == 0)
                {
                    a.sendData(channel, new byte[32]);
                    healthySent++;
                    // Pace the flood (about 150 k datagrams/s): it must test the node, not the kernel's buffers.
                    final long due = start + (long)i * 6_600;
                    while (System.nanoTime() < due)
                    {
                        Thread.onSpinWait();
                    }
                }
                sink.clear();
                while (null != b.channel.receive(sink))
                {
                    healthyReceived++;
                    sink.clear();
                }
            }
            final long deadline = System.currentTimeMillis() + 2000;
            while (healthyReceived < healthySent && System.currentTimeMillis() < deadline)
            {
                sink.clear();
                if (null != b.channel.receive(sink))
                {
                    healthyReceived++;
                }
            }
            final int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            final long heapAfter = RelayTestSupport.usedHeapAfterGc();
            System.out.printf("garbage: %,d datagrams in %.1f s; healthy %d/%d; threads %d -> %d; heap %,d -> %,d;" +
                " relay %s%n", GARBAGE, (System.nanoTime() - start) / 1e9, healthyReceived, healthySent,
                threadsBefore, threadsAfter, heapBefore, heapAfter,
                relay.counter(RelayCounters.Type.DROPPED_MALFORMED));

            assertTrue(healthyReceived >= healthySent * 0.95, "healthy " + healthyReceived + "/" + healthySent);
            assertEquals(1, relay.sessionCount(), "garbage opened no session");
            assertTrue(threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " -> " + threadsAfter);
            // Heap after GC is noisy by a few MiB (we saw +0.2 and +8.7 MiB); a leak of 32 B per garbage datagram
            // would add 32 MiB over the million, so that is the bound.
            assertTrue(heapAfter - heapBefore < 32L * GARBAGE, "heap grew " + (heapAfter - heapBefore));
            assertTrue(nodeStillAnswers(nodeAddress), "the introducer port still answers a ping");
        }
    }

    private static void fillGarbage(final SplittableRandom random, final ByteBuffer datagram, final int i,
        final byte[] bind, final byte[] data, final byte[] ping)
    {
        datagram.clear();
        final int kind = i % 4;
        if (kind == 0)
        {
            final int length = 1 + random.nextInt(1400);
            for (int j = 0; j < length; j++)
            {
                datagram.put((byte)random.nextInt());
            }
        }
        else
        {
            final byte[] base = kind == 1 ? bind : kind == 2 ? data : ping;
            datagram.put(base);
            final int flips = 1 + random.nextInt(4);
            for (int j = 0; j < flips; j++)
            {
                final int at = random.nextInt(base.length);
                datagram.put(at, (byte)(datagram.get(at) ^ (1 << random.nextInt(8))));
            }
            if (random.nextInt(8) == 0)
            {
                datagram.position(random.nextInt(base.length));
            }
        }
        datagram.flip();
    }

    private static byte[] dataFrame(final int channel)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[RelayDataFlyweight.PAYLOAD_OFFSET + 32]);
        new RelayDataFlyweight().wrapForRelayData(buffer, 0, 32).channelId(channel);
        return buffer.byteArray();
    }

    private static byte[] pingFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PingFlyweight.LENGTH]);
        new PingFlyweight().wrapForPing(buffer, 0).nat(NatType.EASY).restartEpoch(1).senderId(Id32.sha256("x"));
        return buffer.byteArray();
    }

    private static boolean nodeStillAnswers(final InetSocketAddress node) throws Exception
    {
        try (DatagramChannel client = DatagramChannel.open())
        {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            client.configureBlocking(false);
            final ByteBuffer reply = ByteBuffer.allocateDirect(512);
            for (int attempt = 0; attempt < 20; attempt++)
            {
                client.send(ByteBuffer.wrap(pingFrame()), node);
                Thread.sleep(50);
                reply.clear();
                if (null != client.receive(reply))
                {
                    return new FrameDecoder().decode(new UnsafeBuffer(reply), 0, reply.position()) == MessageType.PONG;
                }
            }
            return false;
        }
    }
}
