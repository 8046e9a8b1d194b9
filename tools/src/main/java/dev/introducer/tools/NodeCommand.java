package dev.introducer.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.SystemEpochClock;

import dev.introducer.engine.Engine;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.RelayToken;
import dev.introducer.relay.RelayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer node}: runs an introducer, one engine in the introducer role per listen address, all with the
 * same id, until SIGINT or SIGTERM (or {@link #stop()} in tests), optionally with the relay data plane.
 * <p>
 * Settings come from the options, the environment and a config file ({@link NodeSettings}); the id from
 * {@link NodeIdentity}. The counters go to a memory-mapped counters file ({@link NodeCounters}, read by
 * {@code introducer stat}) and, with {@code --metrics}, to a Prometheus endpoint ({@link MetricsServer}). Every
 * start, bind, stop and config problem is one line of the structured log ({@link NodeLog}).
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Runs an introducer on one or more UDP addresses until SIGINT/SIGTERM.",
        "A peer needs two introducer addresses (two hosts, or two addresses of one host) to tell an easy NAT " +
            "from a hard one.",
        "Every option but --config and --json can also be set in the config file (key without the dashes) or " +
            "the environment (INTRODUCER_NODE_<KEY>); the option wins over the environment, the environment " +
            "over the file.",
        "Exit codes: 0 stopped by a signal, 2 bad option, config, address, secret or port in use."})
public final class NodeCommand extends AbstractEngineCommand
{
    private static final String LISTEN_DEFAULT = "0.0.0.0:3456";
    private static final long STOP_WAIT_MS = 10_000;

    @Option(names = "--config", paramLabel = "FILE",
        description = "A properties file of settings: each key is an option's name without the dashes " +
            "(tools/README.md has the table).")
    private Path config;

    @Option(names = "--listen", paramLabel = "IP:PORT",
        description = "UDP address to answer on; repeat for more (default: " + LISTEN_DEFAULT + ").")
    private List<String> listen = new ArrayList<>();

    @Option(names = "--keepalive", paramLabel = "SECONDS",
        description = "Keepalive period, fractional seconds allowed (default: the engine's, 15).")
    private Double keepaliveSeconds;

    @Option(names = "--id", paramLabel = "HEX",
        description = "The node's id, 64 hex digits (default: the id file's, else a new one).")
    private String id;

    @Option(names = "--id-file", paramLabel = "FILE",
        description = "Keeps a generated id across restarts (default: " + NodeSettings.ID_FILE_NAME +
            " next to --config; none without it).")
    private Path idFile;

    @Option(names = "--counters-file", paramLabel = "FILE",
        description = "The counters file for 'introducer stat' (default: " + StatCommand.COUNTERS_DIR_HINT +
            NodeSettings.COUNTERS_FILE_NAME + ", * the id's first 8 hex digits).")
    private Path countersFile;

    @Option(names = "--metrics", paramLabel = "IP:PORT",
        description = "Serve the counters as Prometheus text at http://IP:PORT/metrics (TCP).")
    private String metrics;

    @Option(names = "--json", description = "Also print one JSON event per address on stdout.")
    private boolean json;

    @Option(names = "--relay", paramLabel = "IP:PORT",
        description = "Also run the relay data plane on this address; pairs that cannot punch are offered it.")
    private String relay;

    @Option(names = "--relay-public", paramLabel = "IP:PORT",
        description = "The relay endpoint peers reach and tokens name (default: --relay, which must then be "
            + "a specific address).")
    private String relayPublic;

    @Option(names = "--relay-secret-file", paramLabel = "FILE",
        description = "The relay fleet's shared secret (at least 16 bytes). Every node with it validates tokens.")
    private Path relaySecretFile;

    @Option(names = "--relay-workers", paramLabel = "N",
        description = "Relay worker threads (default: the number of cores).")
    private Integer relayWorkers;

    private Map<String, String> environment = System.getenv();
    private volatile InetSocketAddress metricsAddress;
    private volatile Path countersPath;

    private final CountDownLatch listening = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** The settings once resolved: option, environment, file or default. */
    private record Resolved(
        List<Endpoint> listen, Duration keepalive, NodeIdentity identity, Path countersFile, Endpoint metrics,
        RelaySettings relay)
    {
    }

    /** The relay's settings, when the node runs one. */
    private record RelaySettings(InetSocketAddress bind, Endpoint publicEndpoint, byte[] secret, int workers)
    {
    }

    /**
     * {@inheritDoc}
     */
    int execute(final Console console)
    {
        try
        {
            return run(console, resolve());
        }
        catch (final UserException | IllegalArgumentException | UncheckedIOException ex)
        {
            NodeLog.error("config-problem", "reason", ErrorHandlers.oneLine(ex));
            throw ex;
        }
        finally
        {
            stopped.countDown();
        }
    }

    /**
     * Asks a running node to close its engines and return {@link ExitCodes#OK}; safe from any thread, at any time.
     */
    void stop()
    {
        stopRequested.countDown();
    }

    /**
     * Replaces the environment the settings are read from, for tests.
     *
     * @param environment the variables.
     */
    void environment(final Map<String, String> environment)
    {
        this.environment = environment;
    }

    /**
     * The metrics endpoint's bound address, once listening.
     *
     * @return the address, or null without {@code --metrics}.
     */
    InetSocketAddress metricsAddress()
    {
        return metricsAddress;
    }

    /**
     * The counters file in use, once listening.
     *
     * @return the path.
     */
    Path countersPath()
    {
        return countersPath;
    }

    /**
     * Waits until every address is listening, for tests.
     *
     * @param timeoutMs how long to wait.
     * @return true when listening; false on timeout or when the command failed before listening.
     * @throws InterruptedException if interrupted.
     */
    boolean awaitListening(final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadlineNs)
        {
            if (listening.await(10, TimeUnit.MILLISECONDS))
            {
                return true;
            }
            if (stopped.getCount() == 0)
            {
                return false;
            }
        }
        return false;
    }

    private Resolved resolve()
    {
        final NodeSettings settings = new NodeSettings(config, environment);
        final List<String> listenTexts = settings.list("listen", listen);
        final List<Endpoint> addresses = Arguments.endpoints(
            origin(settings, "listen", listen.isEmpty() ? null : listen),
            listenTexts.isEmpty() ? List.of(LISTEN_DEFAULT) : listenTexts);
        final Double keepalive = settings.decimal("keepalive", keepaliveSeconds);
        final Duration keepaliveDuration = null == keepalive ? null :
            Arguments.positiveSeconds(origin(settings, "keepalive", keepaliveSeconds), keepalive);

        final String metricsText = settings.text("metrics", metrics);
        final Endpoint metricsEndpoint = null == metricsText ? null :
            Arguments.endpoint(origin(settings, "metrics", metrics), metricsText);
        final RelaySettings relaySettings = resolveRelay(settings);

        // Last, once every other setting is known to be good: it may write a new id file.
        final Path idFilePath = settings.path("id-file", idFile);
        final NodeIdentity identity = NodeIdentity.resolve(settings.text("id", id), origin(settings, "id", id),
            null != idFilePath ? idFilePath :
            null != settings.configDirectory() ? settings.configDirectory().resolve(NodeSettings.ID_FILE_NAME) : null);
        final Path countersFilePath = settings.path("counters-file", countersFile);
        final Path counters = null != countersFilePath ? countersFilePath : NodeSettings.countersBase()
            .resolve(NodeSettings.COUNTERS_DIR_PREFIX + identity.id().shortHex())
            .resolve(NodeSettings.COUNTERS_FILE_NAME);

        return new Resolved(addresses, keepaliveDuration, identity, counters, metricsEndpoint, relaySettings);
    }

    private RelaySettings resolveRelay(final NodeSettings settings)
    {
        final String relayText = settings.text("relay", relay);
        final String relayPublicText = settings.text("relay-public", relayPublic);
        final Path secretFile = settings.path("relay-secret-file", relaySecretFile);
        final Integer workers = settings.integer("relay-workers", relayWorkers);
        if (null == relayText)
        {
            if (null != relayPublicText || null != secretFile)
            {
                throw new UserException("--relay-public and --relay-secret-file need --relay IP:PORT");
            }
            return null;
        }
        final Endpoint bind = Arguments.endpoint(origin(settings, "relay", relay), relayText);
        final Endpoint publicEndpoint = null != relayPublicText ?
            Arguments.endpoint(origin(settings, "relay-public", relayPublic), relayPublicText) : bind;
        if (publicEndpoint.toInetSocketAddress().getAddress().isAnyLocalAddress() || publicEndpoint.port() == 0)
        {
            throw new UserException("--relay-public IP:PORT is needed when --relay is a wildcard address or port 0");
        }
        if (null == secretFile)
        {
            throw new UserException("--relay needs --relay-secret-file FILE (the fleet's shared secret)");
        }
        final byte[] secret;
        try
        {
            secret = Files.readString(secretFile).strip().getBytes(StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new UserException("cannot read the relay secret " + secretFile + ": " + ErrorHandlers.oneLine(ex));
        }
        if (secret.length < RelayToken.MIN_SECRET_LENGTH)
        {
            throw new UserException("the relay secret in " + secretFile + " is shorter than " +
                RelayToken.MIN_SECRET_LENGTH + " bytes");
        }
        if (null != workers && workers < 1)
        {
            throw new UserException(origin(settings, "relay-workers", relayWorkers) + " must be at least 1");
        }
        return new RelaySettings(bind.toInetSocketAddress(), publicEndpoint, secret,
            null == workers ? Runtime.getRuntime().availableProcessors() : workers);
    }

    private static String origin(final NodeSettings settings, final String key, final Object cliValue)
    {
        return null != cliValue ? "--" + key : settings.origin(key);
    }

    private int run(final Console console, final Resolved resolved)
    {
        final Id32 nodeId = resolved.identity().id();
        final long startNs = System.nanoTime();
        NodeLog.info("start", "id", nodeId.toHex(), "id-source", resolved.identity().source(),
            "pid", ProcessHandle.current().pid(), "config", null == config ? "none" : config,
            "counters-file", resolved.countersFile());
        final CountersFile file = CountersFile.create(resolved.countersFile(), nodeId.toHex(),
            System.currentTimeMillis());
        final NodeCounters counters = new NodeCounters(file, null != resolved.relay());
        final List<Engine> started = new ArrayList<>();
        RelayServer relayServer = null;
        MetricsServer metricsServer = null;
        final SignalTrap signalTrap = new SignalTrap(this::stop, this::awaitStopped);
        try
        {
            // First the TCP port, so that "listening" is printed only once every socket is bound.
            if (null != resolved.metrics())
            {
                metricsServer = new MetricsServer(resolved.metrics().toInetSocketAddress(), file.reader());
                metricsAddress = metricsServer.localAddress();
                final String address = new Endpoint().set(metricsAddress).toString();
                NodeLog.info("bind", "role", "metrics", "address", address, "path", MetricsServer.PATH);
                console.info("metrics on http://" + address + MetricsServer.PATH);
            }
            if (null != resolved.relay())
            {
                relayServer = startRelay(resolved.relay());
                counters.relay(relayServer);
                final String transport = relayServer.isEpoll() ? "epoll" : "nio";
                final String address = resolved.relay().publicEndpoint().toString();
                NodeLog.info("bind", "role", "relay", "address", address, "transport", transport,
                    "workers", resolved.relay().workers());
                console.info("relay on " + address + " (" + transport + ")");
                if (json)
                {
                    console.out(new Json().field("event", "relay").field("address", address).end());
                }
            }
            for (final Endpoint address : resolved.listen())
            {
                final Engine engine = startEngine(address, nodeId, resolved, counters);
                started.add(engine);
                counters.add(engine);
                final String bound = new Endpoint().set(engine.localAddress()).toString();
                final String transport = engine.isEpoll() ? "epoll" : "nio";
                NodeLog.info("bind", "role", "introducer", "address", bound, "transport", transport);
                console.info("listening on " + bound + " (" + transport + ")");
                if (json)
                {
                    console.out(new Json()
                        .field("event", "listening").field("address", bound).field("transport", transport).end());
                }
            }
            counters.start();
            countersPath = resolved.countersFile();
            listening.countDown();
            awaitStopRequest();
        }
        finally
        {
            counters.stopPublisher();
            if (null != metricsServer)
            {
                metricsServer.close();
            }
            for (final Engine engine : started)
            {
                engine.close();
            }
            if (null != relayServer)
            {
                if (json)
                {
                    console.out(new Json().field("event", "relay-stats")
                        .field("forwarded", relayServer.counter(RelayCounters.Type.DATAGRAMS_FORWARDED))
                        .field("binds", relayServer.counter(RelayCounters.Type.BINDS))
                        .field("dropped", relayServer.counter(RelayCounters.Type.DROPPED_MALFORMED)).end());
                }
                relayServer.close();
            }
            counters.finalFlush();
            counters.close();
            if (listening.getCount() == 0)
            {
                NodeLog.info("stop", "id", nodeId.toHex(), "uptime-ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), "counters-file",
                    resolved.countersFile());
                console.info("stopped");
            }
            else
            {
                // Never listened: no counters worth keeping.
                deleteQuietly(resolved.countersFile());
            }
            // Last, so a second Ctrl-C while the engines close is still ours rather than the JVM's.
            signalTrap.close();
        }
        return ExitCodes.OK;
    }

    private Engine startEngine(
        final Endpoint address, final Id32 nodeId, final Resolved resolved, final NodeCounters counters)
    {
        final Engine.Builder builder = Engine.builder()
            .introducerRole(true)
            .localId(nodeId)
            .handler(counters.handler())
            .bind(Arguments.host(address), address.port());
        if (null != resolved.keepalive())
        {
            builder.keepalive(resolved.keepalive());
        }
        final RelaySettings relaySettings = resolved.relay();
        if (null != relaySettings)
        {
            builder.configure((c) -> c.relaying().relay(relaySettings.publicEndpoint(), relaySettings.secret()));
        }
        try
        {
            return builder.build();
        }
        catch (final UncheckedIOException ex)
        {
            final String reason = ErrorHandlers.oneLine(ex);
            throw new UserException(reason.contains(address.toString()) ? reason :
                "cannot listen on " + address + ": " + reason);
        }
    }

    private static RelayServer startRelay(final RelaySettings settings)
    {
        try
        {
            return new RelayServer(
                new RelayConfiguration().publicEndpoint(settings.publicEndpoint()).secret(settings.secret()),
                settings.bind(), settings.workers(), false, SystemEpochClock.INSTANCE);
        }
        catch (final UncheckedIOException ex)
        {
            throw new UserException("cannot run the relay on " + new Endpoint().set(settings.bind()) + ": " +
                ErrorHandlers.oneLine(ex));
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
            final Path parent = path.toAbsolutePath().getParent();
            if (null != parent && parent.getFileName().toString().startsWith(NodeSettings.COUNTERS_DIR_PREFIX))
            {
                Files.deleteIfExists(parent); // only when empty: it throws otherwise
            }
        }
        catch (final IOException ex)
        {
            // Best effort: a stale file is replaced at the next start.
        }
    }

    private void awaitStopRequest()
    {
        try
        {
            stopRequested.await();
        }
        catch (final InterruptedException ex)
        {
            // An interrupt is a stop request too (a test's timeout, an embedding application).
            Thread.currentThread().interrupt();
        }
    }

    private void awaitStopped()
    {
        try
        {
            stopped.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
