package dev.introducer.engine.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.agrona.DirectBuffer;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;

/**
 * Real engines on loopback for transport tests: two introducers on 127.0.0.1 and peers that record what their
 * handlers saw. Closes everything it started.
 */
public final class LoopbackEngines implements AutoCloseable
{
    /** What a peer's handler saw. */
    public static final class Recorder implements EngineHandler
    {
        /** Connected peers and their path. */
        public final Map<Id32, PathType> connected = new ConcurrentHashMap<>();
        /** Messages received. */
        public final AtomicLong messages = new AtomicLong();
        /** Bytes received. */
        public final AtomicLong bytes = new AtomicLong();
        /** The last NAT report. */
        public volatile NatReport nat;

        /**
         * {@inheritDoc}
         */
        public void onNatDiscovered(final NatReport report)
        {
            nat = report;
        }

        /**
         * {@inheritDoc}
         */
        public void onPeerConnected(
            final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
        {
            connected.put(peer, path);
        }

        /**
         * {@inheritDoc}
         */
        public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
        {
            messages.incrementAndGet();
            bytes.addAndGet(length);
        }
    }

    private final List<Engine> engines = new ArrayList<>();
    private final String[] introducers;

    /**
     * Starts two introducers on 127.0.0.1 with kernel-chosen ports.
     *
     * @param forceNio whether to use NIO instead of epoll.
     */
    public LoopbackEngines(final boolean forceNio)
    {
        introducers = new String[2];
        for (int i = 0; i < 2; i++)
        {
            final Engine node = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).forceNio(forceNio).build();
            engines.add(node);
            introducers[i] = "127.0.0.1:" + node.localAddress().getPort();
        }
    }

    /**
     * Starts a peer on 127.0.0.1.
     *
     * @param handler  its handler.
     * @param forceNio whether to use NIO.
     * @return the engine.
     */
    public Engine peer(final EngineHandler handler, final boolean forceNio)
    {
        return peer(handler, forceNio, (builder) -> builder);
    }

    /**
     * Starts a peer on 127.0.0.1 with more settings.
     *
     * @param handler  its handler.
     * @param forceNio whether to use NIO.
     * @param settings applied to the builder last.
     * @return the engine.
     */
    public Engine peer(final EngineHandler handler, final boolean forceNio,
        final UnaryOperator<Engine.Builder> settings)
    {
        final Engine peer = settings.apply(Engine.builder()
            .introducer(introducers[0]).introducer(introducers[1])
            .bind("127.0.0.1", 0)
            .keepalive(Duration.ofSeconds(15))
            .forceNio(forceNio)
            .handler(handler))
            .build();
        engines.add(peer);
        return peer;
    }

    /**
     * Waits for a condition, at most a time limit.
     *
     * @param condition to wait for.
     * @param timeout   the limit.
     * @return whether it became true.
     * @throws InterruptedException if interrupted.
     */
    public static boolean await(final BooleanSupplier condition, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        for (final Engine engine : engines)
        {
            engine.close();
        }
    }
}
