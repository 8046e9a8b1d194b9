package dev.introducer.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import org.agrona.concurrent.status.AtomicCounter;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Id32;
import dev.introducer.relay.RelayServer;

/**
 * The node's counters in its {@link CountersFile}: the engines' {@link EngineCounters} summed over the listen
 * addresses, the relay's {@link RelayCounters}, connection results by strategy, and the relay's open sessions.
 * <p>
 * The engine and relay counters are plain longs with one writer thread each, so they are copied, never shared:
 * every {@link #PUBLISH_PERIOD_MS_DEFAULT} ms (system property {@value #PUBLISH_PERIOD_MS_PROP_NAME}) the
 * publisher thread hands each engine a copy task that runs on the engine's own thread and adds what changed since
 * its last copy to the shared {@link AtomicCounter}s (an atomic add, as two engines feed one counter). The relay
 * exposes only its summed snapshot ({@link RelayServer#counter}), which the publisher reads. Connection results
 * are written through from the engines' handler. At stop, once the engines and the relay are closed, a last copy
 * leaves the final values in the file. None of this allocates per datagram; the copy runs beside the data path,
 * not in it.
 */
final class NodeCounters implements AutoCloseable
{
    /** How often the counters file is brought up to date, and the heartbeat written. */
    static final long PUBLISH_PERIOD_MS_DEFAULT = 100;
    /** The system property that overrides {@link #PUBLISH_PERIOD_MS_DEFAULT}, in milliseconds. */
    static final String PUBLISH_PERIOD_MS_PROP_NAME = "introducer.counters.publish.period.ms";

    private static final EngineCounters.Type[] ENGINE_TYPES = EngineCounters.Type.values();
    private static final RelayCounters.Type[] RELAY_TYPES = RelayCounters.Type.values();
    private static final Strategy[] STRATEGIES = Strategy.values();

    private final CountersFile file;
    private final AtomicCounter[] engineCounters = new AtomicCounter[ENGINE_TYPES.length];
    private final AtomicCounter[] relayCounters;
    private final AtomicCounter[] connected = new AtomicCounter[STRATEGIES.length];
    private final AtomicCounter[] failed = new AtomicCounter[STRATEGIES.length];
    private final AtomicCounter relaySessions;
    private final List<EngineCopy> engines = new ArrayList<>();
    private RelayServer relay;
    private Thread publisher;
    private volatile boolean running;

    /**
     * Registers every counter in the file.
     *
     * @param file      the node's counters file, fresh.
     * @param withRelay whether the node runs a relay (its counters are registered only then).
     */
    NodeCounters(final CountersFile file, final boolean withRelay)
    {
        this.file = file;
        for (final EngineCounters.Type type : ENGINE_TYPES)
        {
            engineCounters[type.ordinal()] = register(file, "engine", type.metricName());
        }
        for (final Strategy strategy : STRATEGIES)
        {
            connected[strategy.ordinal()] = punchResult(file, strategy, "connected");
            failed[strategy.ordinal()] = punchResult(file, strategy, "failed");
        }
        if (withRelay)
        {
            relayCounters = new AtomicCounter[RELAY_TYPES.length];
            for (final RelayCounters.Type type : RELAY_TYPES)
            {
                relayCounters[type.ordinal()] =
                    register(file, "relay", type.metricName().substring("relay_".length()));
            }
            relaySessions = file.newCounter(CountersFile.TYPE_GAUGE, "introducer_relay_sessions",
                "relay sessions open");
        }
        else
        {
            relayCounters = null;
            relaySessions = null;
        }
    }

    /**
     * The handler to give each engine: it counts connection results by strategy (a pure introducer makes none).
     *
     * @return a handler, safe for every engine of the node.
     */
    EngineHandler handler()
    {
        return new EngineHandler()
        {
            public void onPeerConnected(final Id32 peer, final PathType path, final Strategy strategy,
                final long timeToConnectNs, final int probes)
            {
                connected[strategy.ordinal()].increment();
            }

            public void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
            {
                failed[strategy.ordinal()].increment();
            }
        };
    }

    /**
     * Adds an engine whose counters the file carries.
     *
     * @param engine a started engine.
     */
    void add(final Engine engine)
    {
        engines.add(new EngineCopy(engine, engine.counters(), engineCounters));
    }

    /**
     * Sets the relay whose counters the file carries.
     *
     * @param relay the started relay.
     */
    void relay(final RelayServer relay)
    {
        this.relay = relay;
    }

    /**
     * Starts the publisher thread.
     */
    void start()
    {
        running = true;
        publisher = new Thread(this::publishLoop, "introducer-counters");
        publisher.setDaemon(true);
        publisher.start();
    }

    /**
     * Stops the publisher thread and waits for it; the engines and relay keep running.
     */
    void stopPublisher()
    {
        running = false;
        if (null != publisher)
        {
            publisher.interrupt();
            try
            {
                publisher.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The last copy, once the engines and the relay are closed (their threads are done, so reading their plain
     * counters from here is safe), then the stop time; the file's pages are written out.
     */
    void finalFlush()
    {
        for (final EngineCopy copy : engines)
        {
            copy.run();
        }
        copyRelay();
        file.stopped(System.currentTimeMillis());
    }

    /**
     * Unmaps the file.
     */
    public void close()
    {
        stopPublisher();
        file.close();
    }

    /**
     * One round of the publisher: a copy task to each engine's thread, the relay's snapshot, the heartbeat.
     * Called by the publisher thread (and by tests, from one thread at a time).
     */
    void publishOnce()
    {
        for (final EngineCopy copy : engines)
        {
            copy.schedule();
        }
        copyRelay();
        file.heartbeat(System.currentTimeMillis());
    }

    private void publishLoop()
    {
        final long periodMs = Math.max(1, Long.getLong(PUBLISH_PERIOD_MS_PROP_NAME, PUBLISH_PERIOD_MS_DEFAULT));
        while (running)
        {
            publishOnce();
            try
            {
                Thread.sleep(periodMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void copyRelay()
    {
        if (null == relay || null == relayCounters)
        {
            return;
        }
        for (final RelayCounters.Type type : RELAY_TYPES)
        {
            relayCounters[type.ordinal()].setRelease(relay.counter(type));
        }
        relaySessions.setRelease(relay.counter(RelayCounters.Type.SESSIONS_OPENED) -
            relay.counter(RelayCounters.Type.SESSIONS_EXPIRED));
    }

    /**
     * Registers one counter of a component: {@code dropped_*} become one family with a {@code reason} label,
     * {@code quota_*} one with a {@code quota} label, the rest a family each.
     */
    private static AtomicCounter register(final CountersFile file, final String component, final String name)
    {
        final String sample;
        final String label;
        if (name.startsWith("dropped_"))
        {
            final String reason = name.substring("dropped_".length());
            sample = "introducer_" + component + "_dropped_total{reason=\"" + reason + "\"}";
            label = component + " datagrams dropped: reason=" + reason;
        }
        else if (name.startsWith("quota_"))
        {
            final String quota = name.substring("quota_".length());
            sample = "introducer_" + component + "_quota_hits_total{quota=\"" + quota + "\"}";
            label = component + " quota hits: quota=" + quota;
        }
        else
        {
            sample = "introducer_" + component + "_" + name + "_total";
            label = component + " " + name.replace('_', ' ');
        }
        return file.newCounter(CountersFile.TYPE_COUNTER, sample, label);
    }

    private static AtomicCounter punchResult(final CountersFile file, final Strategy strategy, final String result)
    {
        return file.newCounter(CountersFile.TYPE_COUNTER,
            "introducer_punch_results_total{strategy=\"" + strategy.label() + "\",result=\"" + result + "\"}",
            "punch results: strategy=" + strategy.label() + " result=" + result);
    }

    /** Copies one engine's counters on the engine's thread: what changed since the last copy is added. */
    private static final class EngineCopy implements Runnable
    {
        private final Engine engine;
        private final EngineCounters source;
        private final AtomicCounter[] targets;
        private final long[] copied = new long[ENGINE_TYPES.length];

        EngineCopy(final Engine engine, final EngineCounters source, final AtomicCounter[] targets)
        {
            this.engine = engine;
            this.source = source;
            this.targets = targets;
        }

        void schedule()
        {
            try
            {
                engine.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                // The engine is closing; the final flush copies its last values.
            }
        }

        public void run()
        {
            for (int i = 0; i < ENGINE_TYPES.length; i++)
            {
                final long value = source.get(ENGINE_TYPES[i]);
                final long delta = value - copied[i];
                if (0 != delta)
                {
                    targets[i].getAndAdd(delta);
                    copied[i] = value;
                }
            }
        }
    }
}
