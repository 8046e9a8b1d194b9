package dev.introducer.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.transport.LoopbackEngines;
import dev.introducer.protocol.Id32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application's callback that throws never stops the engine: every exception is counted as
 * {@code callback_errors} and handed to the builder's error handler, on the engine's thread, and the engine goes
 * on serving its other peers.
 */
class CallbackErrorTest
{
    private static final int MESSAGES = 50;

    /** Throws from every callback it gets, and counts how often. */
    private static final class ThrowingHandler implements EngineHandler
    {
        final AtomicLong thrown = new AtomicLong();
        final AtomicLong messages = new AtomicLong();

        public void onPeerConnected(
            final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
        {
            thrown.incrementAndGet();
            throw new IllegalStateException("application bug in onPeerConnected");
        }

        public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
        {
            messages.incrementAndGet();
            thrown.incrementAndGet();
            throw new IllegalStateException("application bug in onMessage");
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("a handler throwing on every message: the engine keeps running, counts each one, and other " +
        "peers' data still flows")
    void throwingHandlerDoesNotStopTheEngine() throws Exception
    {
        try (LoopbackEngines world = new LoopbackEngines(false))
        {
            final ThrowingHandler throwing = new ThrowingHandler();
            final AtomicLong handed = new AtomicLong();
            final AtomicLong handlerThread = new AtomicLong(-1);
            final Engine a = world.peer(throwing, false, (builder) -> builder.errorHandler((ex) ->
            {
                handed.incrementAndGet();
                handlerThread.set(Thread.currentThread().getId());
            }));
            final LoopbackEngines.Recorder bSaw = new LoopbackEngines.Recorder();
            final LoopbackEngines.Recorder cSaw = new LoopbackEngines.Recorder();
            final Engine b = world.peer(bSaw, false);
            final Engine c = world.peer(cSaw, false);
            final Id32 swarm = Id32.sha256("throwing");
            a.join(swarm);
            b.join(swarm);
            c.join(swarm);

            assertTrue(LoopbackEngines.await(() -> connected(a, b) && connected(a, c) && connected(b, c),
                Duration.ofSeconds(20)), "every pair connected although a's onPeerConnected throws");

            final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < MESSAGES; i++)
            {
                b.send(a.localId(), payload, 0, 64);
                c.send(a.localId(), payload, 0, 64);
                b.send(c.localId(), payload, 0, 64);
                a.send(c.localId(), payload, 0, 64);
            }
            assertTrue(LoopbackEngines.await(() -> throwing.messages.get() >= 2 * MESSAGES - 10 &&
                cSaw.messages.get() >= 2 * MESSAGES - 10, Duration.ofSeconds(10)),
                "a got " + throwing.messages.get() + " and c " + cSaw.messages.get() + " of " + 2 * MESSAGES);

            final EngineCounters.Type errors = EngineCounters.Type.CALLBACK_ERRORS;
            assertTrue(LoopbackEngines.await(() -> a.counter(errors) == throwing.thrown.get(), Duration.ofSeconds(5)),
                "every throw counted: " + a.counter(errors) + " of " + throwing.thrown.get());
            assertEquals(throwing.thrown.get(), handed.get(), "every throw handed to the error handler");
            assertEquals(a.engineThreadId(), handlerThread.get(), "the error handler runs on the engine's thread");
            assertEquals(0, b.counter(EngineCounters.Type.CALLBACK_ERRORS), "b's handler never threw");
            assertTrue(a.peer(b.localId()).connected() && a.peer(c.localId()).connected(), "a is still connected");

            final long before = cSaw.messages.get();
            a.send(c.localId(), payload, 0, 64);
            assertTrue(LoopbackEngines.await(() -> cSaw.messages.get() > before, Duration.ofSeconds(5)),
                "a still sends after " + throwing.thrown.get() + " exceptions");
        }
    }

    private static boolean connected(final Engine from, final Engine to)
    {
        final PeerInfo info = from.peer(to.localId());
        final PeerInfo back = to.peer(from.localId());
        return null != info && info.connected() && null != back && back.connected();
    }
}
