package dev.introducer.engine.transport;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.Engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application data path between two connected engines allocates nothing per datagram after warm-up: one
 * million datagrams on loopback, measured with {@code ThreadMXBean} on both engines' threads.
 * <p>
 * Runs in its own surefire execution with Netty's leak detector disabled: its sampling allocates, and the other
 * tests keep it at paranoid.
 */
class DataPathAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final int BATCH = 256;
    private static final int MAX_IN_FLIGHT = 2_048;
    private static final int PAYLOAD = 64;

    @Test
    @Timeout(120)
    @DisplayName("1 M datagrams between connected engines: 0 bytes allocated per datagram on either engine thread")
    void dataPathIsAllocationFree() throws Exception
    {
        assertTrue(io.netty.channel.epoll.Epoll.isAvailable(), "the zero-allocation path is the epoll one");
        try (LoopbackEngines world = new LoopbackEngines(false))
        {
            final LoopbackEngines.Recorder a = new LoopbackEngines.Recorder();
            final LoopbackEngines.Recorder b = new LoopbackEngines.Recorder();
            final Engine sender = world.peer(a, false);
            final Engine receiver = world.peer(b, false);
            sender.join(dev.introducer.protocol.Id32.sha256("allocation"));
            receiver.join(dev.introducer.protocol.Id32.sha256("allocation"));
            assertTrue(LoopbackEngines.await(() -> a.connected.containsKey(receiver.localId()) &&
                b.connected.containsKey(sender.localId()), Duration.ofSeconds(10)), "connected");
            assertTrue(LoopbackEngines.await(() -> sender.connectedPathCount() == 1 &&
                receiver.connectedPathCount() == 1, Duration.ofSeconds(5)), "both use a connected socket");

            final long senderThread = sender.engineThreadId();
            final long receiverThread = receiver.engineThreadId();

            pump(sender, receiver, b, WARM_UP);
            final long receivedBefore = b.messages.get();
            final long senderBefore = THREADS.getThreadAllocatedBytes(senderThread);
            final long receiverBefore = THREADS.getThreadAllocatedBytes(receiverThread);

            final int sent = pump(sender, receiver, b, MEASURED);

            final long senderBytes = THREADS.getThreadAllocatedBytes(senderThread) - senderBefore;
            final long receiverBytes = THREADS.getThreadAllocatedBytes(receiverThread) - receiverBefore;
            final long received = b.messages.get() - receivedBefore;
            final double senderPerDatagram = (double)senderBytes / sent;
            final double receiverPerDatagram = (double)receiverBytes / received;
            System.out.printf("data path: sent %,d, received %,d; sender thread %,d B (%.4f B/datagram), " +
                "receiver thread %,d B (%.4f B/datagram)%n", sent, received, senderBytes, senderPerDatagram,
                receiverBytes, receiverPerDatagram);
            assertTrue(received >= MEASURED * 0.9, "received " + received + " of " + sent);
            assertTrue(senderPerDatagram < 1.0, "sender allocates " + senderPerDatagram + " B per datagram");
            assertTrue(receiverPerDatagram < 1.0, "receiver allocates " + receiverPerDatagram + " B per datagram");
        }
    }

    /**
     * Sends {@code count} datagrams from the sender's engine thread, in batches, never more than
     * {@link #MAX_IN_FLIGHT} ahead of the receiver so that the socket buffers do not overflow.
     */
    private static int pump(final Engine sender, final Engine receiver, final LoopbackEngines.Recorder received,
        final int count) throws InterruptedException
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        final CountDownLatch done = new CountDownLatch(1);
        final long start = received.messages.get();
        final int[] sent = new int[1];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final Runnable[] step = new Runnable[1];
        step[0] = () ->
        {
            final long inFlight = sent[0] - (received.messages.get() - start);
            if (inFlight < MAX_IN_FLIGHT)
            {
                for (int i = 0; i < BATCH && sent[0] < count; i++)
                {
                    if (sender.send(receiver.localId(), payload, 0, PAYLOAD) == Engine.SEND_OK)
                    {
                        sent[0]++;
                    }
                }
            }
            if (sent[0] >= count || System.nanoTime() > deadline)
            {
                done.countDown();
            }
            else
            {
                sender.execute(step[0]);
            }
        };
        sender.execute(step[0]);
        assertTrue(done.await(90, TimeUnit.SECONDS));
        LoopbackEngines.await(() -> received.messages.get() - start >= sent[0], Duration.ofSeconds(2));
        return sent[0];
    }
}
