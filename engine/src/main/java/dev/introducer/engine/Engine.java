package dev.introducer.engine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.core.EngineConfiguration;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.host.DistinctErrorLogger;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.journal.AttemptJournal;
import dev.introducer.engine.journal.AttemptJournalObserver;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.engine.transport.NettyTransport;
import dev.introducer.engine.transport.TransportOptions;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * A node on real sockets: the sans-IO {@link EngineCore} driven by a {@link NettyTransport} (epoll, or NIO where
 * epoll is missing) on one thread of its own, the engine's thread.
 * <pre>{@code
 * try (Engine engine = Engine.builder()
 *     .introducer("198.18.0.10:3456").introducer("198.18.0.11:3456")
 *     .bind("0.0.0.0", 3456)
 *     .handler(new EngineHandler() { ... })
 *     .build())
 * {
 *     engine.join(Id32.sha256("my swarm"));
 *     ...
 * }
 * }</pre>
 * <b>Threading:</b> handlers run on the engine's thread. Every method here may be called from any thread;
 * from another thread it hops onto the engine's thread. {@link #send} from a handler (the engine's thread) goes
 * straight to the socket and allocates nothing.
 */
public final class Engine implements AutoCloseable
{
    /** {@link #send} result: handed to the network. */
    public static final int SEND_OK = EngineCore.SEND_OK;
    /** {@link #send} result: called from another thread; queued for the engine's thread. */
    public static final int SEND_QUEUED = 1;
    /** {@link #send} result: no such peer. */
    public static final int SEND_UNKNOWN_PEER = EngineCore.SEND_UNKNOWN_PEER;
    /** {@link #send} result: the peer is not connected. */
    public static final int SEND_NOT_CONNECTED = EngineCore.SEND_NOT_CONNECTED;
    /** {@link #send} result: larger than a datagram. */
    public static final int SEND_TOO_LARGE = EngineCore.SEND_TOO_LARGE;
    /** {@link #send} result: the socket refused it. */
    public static final int SEND_FAILED = EngineCore.SEND_FAILED;
    /** {@link #send} result: the engine is closed. */
    public static final int SEND_CLOSED = -5;

    private static final long CALL_TIMEOUT_MS = 5_000;

    private final NettyTransport transport;
    private final EngineCore core;
    private final EngineConfiguration configuration;
    private final AttemptJournal journal;
    private volatile boolean closed;

    private Engine(final Builder builder)
    {
        final EngineConfiguration configuration = builder.configuration;
        configuration.localId(null != builder.localId ? builder.localId : Id32.random(builder.random))
            .restartEpoch(System.currentTimeMillis())
            .errorHandler(builder.errorHandler);
        builder.transportOptions.errorHandler(builder.errorHandler);
        // Opened first: a bad journal file fails the build before any socket is bound.
        this.journal = null == builder.attemptJournal ? null : AttemptJournal.open(builder.attemptJournal);
        if (null != journal)
        {
            final Engine engine = this;
            configuration.attemptObserver(new AttemptJournalObserver(journal, configuration.localId(),
                (id) -> engine.core.peer(id), SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE));
        }
        configuration.conclude();
        this.configuration = configuration;
        try
        {
            this.transport = new NettyTransport(builder.bindAddress, builder.transportOptions);
            if (!configuration.introducers().isEmpty())
            {
                transport.routeHint(configuration.introducers().get(0));
            }
            this.core = new EngineCore(configuration, transport, transport, builder.random, builder.handler);
            transport.start(core);
        }
        catch (final RuntimeException ex)
        {
            if (null != journal)
            {
                journal.close();
            }
            throw ex;
        }
    }

    /**
     * A new builder.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Joins a swarm.
     *
     * @param swarmId the swarm (for a name, {@link Id32#sha256(String)}).
     */
    public void join(final Id32 swarmId)
    {
        transport.execute(() -> core.join(transport.nowNs(), swarmId));
    }

    /**
     * Leaves a swarm.
     *
     * @param swarmId the swarm.
     */
    public void leave(final Id32 swarmId)
    {
        transport.execute(() -> core.leave(transport.nowNs(), swarmId));
    }

    /**
     * Asks the introducers to introduce us to a peer they know.
     *
     * @param peerId the peer.
     */
    public void connect(final Id32 peerId)
    {
        transport.execute(() -> core.connect(transport.nowNs(), peerId));
    }

    /**
     * Sends application data to a connected peer. From the engine's thread (a handler) it is sent at once and
     * allocates nothing; from another thread the bytes are copied and queued.
     *
     * @param peerId the peer.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link #SEND_OK}, {@link #SEND_QUEUED} or a negative {@code SEND_*} code.
     */
    public int send(final Id32 peerId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return SEND_CLOSED;
        }
        if (transport.inEngineThread())
        {
            return core.send(peerId, buffer, offset, length);
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        transport.execute(() -> core.send(peerId, new UnsafeBuffer(copy), 0, length));
        return SEND_QUEUED;
    }

    /**
     * The last NAT discovery result. Before the first run ends it is a report of type {@code UNKNOWN} with no
     * endpoints; {@link EngineHandler#onNatDiscovered} tells when a result comes or changes.
     *
     * @return the report, never null.
     */
    public NatReport nat()
    {
        return call(core::natReport);
    }

    /**
     * This node's id.
     *
     * @return the id.
     */
    public Id32 localId()
    {
        return configuration.localId();
    }

    /**
     * The address the main socket is bound to.
     *
     * @return the address.
     */
    public InetSocketAddress localAddress()
    {
        return transport.mainLocalAddress();
    }

    /**
     * Whether the native epoll transport is in use (else NIO).
     *
     * @return true for epoll.
     */
    public boolean isEpoll()
    {
        return transport.isEpoll();
    }

    /**
     * Peers reached through a connected socket of their own (the allocation-free data path; epoll only).
     *
     * @return the count.
     */
    public int connectedPathCount()
    {
        return call(transport::connectedPaths);
    }

    /**
     * The id of the engine's thread, for allocation measurements with {@code ThreadMXBean}.
     *
     * @return the thread id.
     */
    public long engineThreadId()
    {
        return transport.engineThreadId();
    }

    /**
     * A snapshot of one peer.
     *
     * @param peerId the peer.
     * @return its state, or null if unknown.
     */
    public PeerInfo peer(final Id32 peerId)
    {
        return call(() -> toInfo(core.peer(peerId)));
    }

    /**
     * A snapshot of every peer (introducers included).
     *
     * @return the states.
     */
    public List<PeerInfo> peers()
    {
        return call(() ->
        {
            final List<PeerInfo> result = new ArrayList<>();
            for (final Peer peer : core.peers())
            {
                result.add(toInfo(peer));
            }
            return result;
        });
    }

    /**
     * A counter's value.
     *
     * @param type which counter.
     * @return its value.
     */
    public long counter(final EngineCounters.Type type)
    {
        return call(() -> core.counters().get(type));
    }

    /**
     * Runs a task on the engine's thread (where {@link #send} needs no copy and {@link #counters()} may be read).
     *
     * @param task to run.
     */
    public void execute(final Runnable task)
    {
        transport.execute(task);
    }

    /**
     * The engine's counters, live. Read them only on the engine's thread (from a handler or a task given to
     * {@link #execute}) or after {@link #close}; from any other thread use {@link #countersSnapshot()}.
     *
     * @return the counters the core writes.
     */
    public EngineCounters counters()
    {
        return core.counters();
    }

    /**
     * A copy of every counter, taken on the engine's thread.
     *
     * @return the values of now.
     */
    public EngineCounters countersSnapshot()
    {
        return call(() -> core.counters().copy());
    }

    /**
     * A counter of the relay this engine runs for its swarms ({@link EngineConfiguration#peerRelay(boolean)}).
     *
     * @param type which counter.
     * @return its value; 0 when this engine does not relay.
     */
    public long peerRelayCounter(final RelayCounters.Type type)
    {
        return call(() -> core.peerRelayCounter(type));
    }

    /**
     * Every configured introducer, in configuration order, with what it saw of us.
     *
     * @return a snapshot per introducer.
     */
    public List<IntroducerInfo> introducers()
    {
        return call(() ->
        {
            final List<Endpoint> addresses = configuration.introducers();
            final List<IntroducerInfo> result = new ArrayList<>(addresses.size());
            for (int i = 0; i < addresses.size(); i++)
            {
                final Peer introducer = core.introducer(i);
                final Endpoint observed = core.observedBy(i);
                result.add(new IntroducerInfo(addresses.get(i).copy(), null == introducer ? null : introducer.id(),
                    observed.isNone() ? null : observed));
            }
            return result;
        });
    }

    /**
     * Closes every socket and stops the engine's thread.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        transport.close();
        if (null != journal)
        {
            // After the engine's thread stopped: no append can touch the mapping any more.
            journal.close();
        }
    }

    /**
     * The attempt journal this engine appends to.
     *
     * @return its file, or null when the engine keeps none.
     */
    public Path attemptJournal()
    {
        return null == journal ? null : journal.path();
    }

    private static PeerInfo toInfo(final Peer peer)
    {
        if (null == peer)
        {
            return null;
        }
        return new PeerInfo(peer.id(), peer.isConnected(), peer.path(), peer.strategy(), peer.nat(),
            peer.endpoint().copy(), peer.rttNs());
    }

    private <T> T call(final Callable<T> task)
    {
        if (transport.inEngineThread())
        {
            try
            {
                return task.call();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        try
        {
            return transport.submit(task).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Builds and starts an engine.
     */
    public static final class Builder
    {
        private final EngineConfiguration configuration = new EngineConfiguration();
        private final TransportOptions transportOptions = new TransportOptions();
        private InetSocketAddress bindAddress = new InetSocketAddress("0.0.0.0", 3456);
        private Id32 localId;
        private EngineHandler handler = new EngineHandler()
        {
        };
        private RandomGenerator random = new SecureRandom();
        private Path attemptJournal;
        private ErrorHandler errorHandler = new DistinctErrorLogger();

        private Builder()
        {
        }

        /**
         * Adds an introducer, {@code IP:PORT}. A peer needs one, and two to tell easy from hard.
         *
         * @param endpoint the introducer's address.
         * @return this.
         */
        public Builder introducer(final String endpoint)
        {
            configuration.addIntroducer(Endpoint.parse(endpoint));
            return this;
        }

        /**
         * Adds an introducer.
         *
         * @param endpoint the introducer's address.
         * @return this.
         */
        public Builder introducer(final Endpoint endpoint)
        {
            configuration.addIntroducer(endpoint);
            return this;
        }

        /**
         * The local address and port of the main socket (default {@code 0.0.0.0:3456}; port 0 picks one).
         *
         * @param address a local IP address.
         * @param port    the port.
         * @return this.
         */
        public Builder bind(final String address, final int port)
        {
            this.bindAddress = Endpoint.parse(address + ":" + port).toInetSocketAddress();
            return this;
        }

        /**
         * This node's id (default: random).
         *
         * @param localId 32 bytes.
         * @return this.
         */
        public Builder localId(final Id32 localId)
        {
            this.localId = localId;
            return this;
        }

        /**
         * Runs the introducer role (a node with a static address) instead of a peer.
         *
         * @param introducer true for the introducer role.
         * @return this.
         */
        public Builder introducerRole(final boolean introducer)
        {
            configuration.introducer(introducer);
            return this;
        }

        /**
         * Keepalive period (default 15 s). Keep it below the NATs' UDP timeouts.
         *
         * @param keepalive the period.
         * @return this.
         */
        public Builder keepalive(final Duration keepalive)
        {
            configuration.keepaliveNs(keepalive.toNanos());
            return this;
        }

        /**
         * Hard-side pool size (default 256).
         *
         * @param sockets per spray.
         * @return this.
         */
        public Builder sprayPoolSize(final int sockets)
        {
            configuration.sprayPoolSize(sockets);
            return this;
        }

        /**
         * Easy-side probe rate of one spray (default 2,000/s).
         *
         * @param probesPerSecond the rate.
         * @return this.
         */
        public Builder sprayProbeRate(final int probesPerSecond)
        {
            configuration.sprayProbeRate(probesPerSecond);
            return this;
        }

        /**
         * Spray sockets open at most, all sprays together (default 4,096).
         *
         * @param sockets the budget.
         * @return this.
         */
        public Builder socketBudget(final int sockets)
        {
            configuration.socketBudget(sockets);
            return this;
        }

        /**
         * Socket buffer sizes (defaults 4 MiB receive, 1 MiB send; the kernel caps them at rmem_max/wmem_max).
         *
         * @param receiveBytes SO_RCVBUF.
         * @param sendBytes    SO_SNDBUF.
         * @return this.
         */
        public Builder socketBuffers(final int receiveBytes, final int sendBytes)
        {
            transportOptions.receiveBufferBytes(receiveBytes).sendBufferBytes(sendBytes);
            return this;
        }

        /**
         * Uses NIO even where epoll is available (for tests of the fallback).
         *
         * @param forceNio true to avoid epoll.
         * @return this.
         */
        public Builder forceNio(final boolean forceNio)
        {
            transportOptions.forceNio(forceNio);
            return this;
        }

        /**
         * The application's callbacks, run on the engine's thread.
         *
         * @param handler the callbacks.
         * @return this.
         */
        public Builder handler(final EngineHandler handler)
        {
            this.handler = handler;
            return this;
        }

        /**
         * Where exceptions thrown by the handler's callbacks go, on the engine's thread. Every one is counted
         * ({@code callback_errors}), the engine finishes the work around the call and carries on with every other
         * peer. Default: {@link DistinctErrorLogger}, which logs each distinct error once.
         *
         * @param errorHandler the handler; it must not throw.
         * @return this.
         */
        public Builder errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * Randomness for ids, tokens and ports (default {@link SecureRandom}; seed one for reproducible tests).
         *
         * @param random the generator.
         * @return this.
         */
        public Builder random(final RandomGenerator random)
        {
            this.random = random;
            return this;
        }

        /**
         * Journals every connection attempt (NAT pair, strategy, probes, result, time to connect, path) to a
         * memory-mapped file, created if missing ({@code engine/README.md}, "The attempt journal"). Engines in one
         * process or several may share a file. Default: no journal.
         *
         * @param file the journal, or null for none.
         * @return this.
         */
        public Builder attemptJournal(final Path file)
        {
            this.attemptJournal = file;
            return this;
        }

        /**
         * Any other setting of the core.
         *
         * @param settings a customiser of the configuration.
         * @return this.
         */
        public Builder configure(final Consumer<EngineConfiguration> settings)
        {
            settings.accept(configuration);
            return this;
        }

        /**
         * Binds the sockets and starts the engine.
         *
         * @return the running engine.
         * @throws IllegalArgumentException for a bad setting.
         * @throws java.io.UncheckedIOException when the main socket cannot be bound.
         * @throws dev.introducer.engine.journal.JournalException when the attempt journal cannot be opened.
         */
        public Engine build()
        {
            RuntimeRequirements.check();
            return new Engine(this);
        }
    }
}
