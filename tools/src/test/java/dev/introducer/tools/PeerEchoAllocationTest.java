package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.sun.management.ThreadMXBean;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;

/**
 * {@code peer --echo} sends every message back without allocating: half a million messages echoed between two
 * engines on loopback, the echoing engine's thread measured with {@code ThreadMXBean}. Runs in the allocation
 * execution (Netty's leak detector off), like the engine's and the relay's allocation gates.
 */
@DisplayName("peer --echo allocates nothing per message")
class PeerEchoAllocationTest
{
    private static final ThreadMXBean THREADS = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 500_000;
    private static final int WINDOW = 256;
    private static final int PAYLOAD = 64;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("500 k messages echoed: under 1 B allocated per message on the echoing engine's thread")
    void echoIsAllocationFree() throws Exception
    {
        try (RunningNode node = new RunningNode())
        {
            final String[] introducers = node.introducerArgs();
            final StringWriter output = new StringWriter();
            final Console console = new Console(new PrintWriter(output, true), new PrintWriter(output, true));
            final PeerSession echo = new PeerSession(console, true, 1, 1, PeerSession.HEADER_LENGTH, 0);
            echo.mode(PeerSession.Mode.ECHO, null);
            final Counting counting = new Counting();
            try (Engine echoEngine = engine(introducers, echo); Engine sender = engine(introducers, counting))
            {
                echo.engine(echoEngine);
                final Id32 swarm = Id32.sha256("echo allocation");
                echoEngine.join(swarm);
                sender.join(swarm);
                assertTrue(counting.connected.await(20, TimeUnit.SECONDS), () -> "connected: " + output);
                await(() -> echoEngine.connectedPathCount() == 1 && sender.connectedPathCount() == 1);

                pump(sender, echoEngine.localId(), counting, WARM_UP);
                final long echoThread = echoEngine.engineThreadId();
                final long echoedBefore = counting.echoes.get();
                final long bytesBefore = THREADS.getThreadAllocatedBytes(echoThread);
                final int sent = pump(sender, echoEngine.localId(), counting, MEASURED);
                // only what the echoing thread did for these messages: read, echo, nothing else
                final long bytes = THREADS.getThreadAllocatedBytes(echoThread) - bytesBefore;
                final long echoed = counting.echoes.get() - echoedBefore;

                final double perMessage = (double)bytes / echoed;
                System.out.printf("echo: sent %,d, echoed back %,d; echoing thread %,d B (%.4f B/message)%n",
                    sent, echoed, bytes, perMessage);
                assertTrue(echoed >= MEASURED * 0.9, "echoed " + echoed + " of " + sent);
                assertTrue(perMessage < 1.0, "the echoing thread allocates " + perMessage + " B per message");
            }
        }
    }

    private static Engine engine(final String[] introducers, final EngineHandler handler)
    {
        return Engine.builder().bind("127.0.0.1", 0)
            .introducer(introducers[1]).introducer(introducers[3])
            .handler(handler).build();
    }

    /**
     * Sends {@code count} more messages and waits for their echoes: a window of {@link #WINDOW} messages in flight,
     * each echo sending the next one on the sender's engine thread, topped up every few milliseconds should UDP
     * drop one.
     */
    private static int pump(final Engine sender, final Id32 to, final Counting counting, final int count)
        throws InterruptedException
    {
        final long target = counting.sent.get() + count;
        sender.execute(() -> counting.start(sender, to, target));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counting.echoes.get() < target && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
            sender.execute(counting::topUp);
        }
        sender.execute(counting::stop);
        return count;
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "both engines use a connected socket");
            Thread.sleep(10);
        }
    }

    /** The sending side: keeps {@link #WINDOW} messages in flight and counts the echoes. */
    private static final class Counting implements EngineHandler
    {
        private final CountDownLatch connected = new CountDownLatch(1);
        private final AtomicLong echoes = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        private Engine sender;
        private Id32 to;
        private long target;

        void start(final Engine sender, final Id32 to, final long target)
        {
            this.sender = sender;
            this.to = to;
            this.target = target;
            topUp();
        }

        void topUp()
        {
            while (null != sender && sent.get() < target && sent.get() - echoes.get() < WINDOW)
            {
                if (Engine.SEND_OK != sender.send(to, payload, 0, PAYLOAD))
                {
                    return;
                }
                sent.incrementAndGet();
            }
        }

        void stop()
        {
            target = sent.get();
        }

        public void onPeerConnected(final Id32 peer, final PathType path,
            final Strategy strategy, final long timeToConnectNs, final int probes)
        {
            connected.countDown();
        }

        public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
        {
            echoes.incrementAndGet();
            topUp();
        }
    }
}
