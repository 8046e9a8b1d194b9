package dev.introducer.tools;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.introducer.engine.Engine;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer node}: runs an introducer, one engine in the introducer role per listen address, all with the
 * same id, until SIGINT or SIGTERM (or {@link #stop()} in tests).
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Runs an introducer on one or more UDP addresses until SIGINT/SIGTERM.",
        "A peer needs two introducer addresses (two hosts, or two addresses of one host) to tell an easy NAT " +
            "from a hard one.",
        "Exit codes: 0 stopped by a signal, 2 bad address or port in use."})
public final class NodeCommand extends AbstractEngineCommand
{
    private static final String LISTEN_DEFAULT = "0.0.0.0:3456";
    private static final long STOP_WAIT_MS = 10_000;

    @Option(names = "--listen", paramLabel = "IP:PORT",
        description = "UDP address to answer on; repeat for more (default: " + LISTEN_DEFAULT + ").")
    private List<String> listen = new ArrayList<>();

    @Option(names = "--keepalive", paramLabel = "SECONDS",
        description = "Keepalive period, fractional seconds allowed (default: the engine's, 15).")
    private Double keepaliveSeconds;

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
    private java.nio.file.Path relaySecretFile;

    @Option(names = "--relay-workers", paramLabel = "N",
        description = "Relay worker threads (default: the number of cores).")
    private Integer relayWorkers;

    private Endpoint relayEndpoint;
    private byte[] relaySecret;

    private final CountDownLatch listening = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * {@inheritDoc}
     */
    int execute(final Console console)
    {
        final List<Endpoint> addresses =
            Arguments.endpoints("--listen", listen.isEmpty() ? List.of(LISTEN_DEFAULT) : listen);
        if (null != keepaliveSeconds)
        {
            Arguments.positiveSeconds("--keepalive", keepaliveSeconds);
        }

        final InetSocketAddressHolder relayBind = parseRelay();
        final List<Engine> started = new ArrayList<>();
        dev.introducer.relay.RelayServer relayServer = null;
        final SignalTrap signalTrap = new SignalTrap(this::stop, this::awaitStopped);
        try
        {
            if (null != relayBind.address)
            {
                relayServer = startRelay(relayBind.address);
                console.info("relay on " + relayEndpoint + " (" + (relayServer.isEpoll() ? "epoll" : "nio") + ")");
                if (json)
                {
                    console.out(new Json().field("event", "relay").field("address", relayEndpoint.toString())
                        .end());
                }
            }
            // Peers learn one id per introducer host whichever address answers them.
            final Id32 id = Id32.random(new SecureRandom());
            for (final Endpoint address : addresses)
            {
                final Engine engine = start(address, id);
                started.add(engine);
                final String bound = new Endpoint().set(engine.localAddress()).toString();
                final String transport = engine.isEpoll() ? "epoll" : "nio";
                console.info("listening on " + bound + " (" + transport + ")");
                if (json)
                {
                    console.out(new Json()
                        .field("event", "listening").field("address", bound).field("transport", transport).end());
                }
            }
            listening.countDown();
            awaitStopRequest();
        }
        finally
        {
            for (final Engine engine : started)
            {
                engine.close();
            }
            if (null != relayServer)
            {
                if (json)
                {
                    console.out(new Json().field("event", "relay-stats")
                        .field("forwarded", relayServer.counter(
                            dev.introducer.engine.relay.RelayCounters.Type.DATAGRAMS_FORWARDED))
                        .field("binds", relayServer.counter(dev.introducer.engine.relay.RelayCounters.Type.BINDS))
                        .field("dropped", relayServer.counter(
                            dev.introducer.engine.relay.RelayCounters.Type.DROPPED_MALFORMED)).end());
                }
                relayServer.close();
            }
            if (listening.getCount() == 0)
            {
                console.info("stopped");
            }
            stopped.countDown();
            // Last, so a second Ctrl-C while the engines close is still ours rather than the JVM's.
            signalTrap.close();
        }
        return ExitCodes.OK;
    }

    /**
     * Asks a running node to close its engines and return {@link ExitCodes#OK}; safe from any thread, at any time.
     */
    void stop()
    {
        stopRequested.countDown();
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

    private Engine start(final Endpoint address, final Id32 id)
    {
        final Engine.Builder builder = Engine.builder()
            .introducerRole(true)
            .localId(id)
            .bind(Arguments.host(address), address.port());
        if (null != keepaliveSeconds)
        {
            builder.keepalive(Arguments.positiveSeconds("--keepalive", keepaliveSeconds));
        }
        if (null != relayEndpoint)
        {
            builder.configure((c) -> c.relay(relayEndpoint, relaySecret));
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

    /** The relay's bind address, if any (a holder so that parsing stays in one method). */
    private static final class InetSocketAddressHolder
    {
        java.net.InetSocketAddress address;
    }

    private InetSocketAddressHolder parseRelay()
    {
        final InetSocketAddressHolder holder = new InetSocketAddressHolder();
        if (null == relay)
        {
            if (null != relayPublic || null != relaySecretFile)
            {
                throw new UserException("--relay-public and --relay-secret-file need --relay IP:PORT");
            }
            return holder;
        }
        final Endpoint bind = Arguments.endpoint("--relay", relay);
        relayEndpoint = null != relayPublic ? Arguments.endpoint("--relay-public", relayPublic) : bind;
        if (relayEndpoint.toInetSocketAddress().getAddress().isAnyLocalAddress() || relayEndpoint.port() == 0)
        {
            throw new UserException("--relay-public IP:PORT is needed when --relay is a wildcard address or port 0");
        }
        if (null == relaySecretFile)
        {
            throw new UserException("--relay needs --relay-secret-file FILE (the fleet's shared secret)");
        }
        try
        {
            relaySecret = java.nio.file.Files.readString(relaySecretFile).strip()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            throw new UserException("cannot read the relay secret " + relaySecretFile + ": " +
                ErrorHandlers.oneLine(ex));
        }
        if (relaySecret.length < dev.introducer.protocol.RelayToken.MIN_SECRET_LENGTH)
        {
            throw new UserException("the relay secret in " + relaySecretFile + " is shorter than " +
                dev.introducer.protocol.RelayToken.MIN_SECRET_LENGTH + " bytes");
        }
        if (null != relayWorkers && relayWorkers < 1)
        {
            throw new UserException("--relay-workers must be at least 1");
        }
        holder.address = bind.toInetSocketAddress();
        return holder;
    }

    private dev.introducer.relay.RelayServer startRelay(final java.net.InetSocketAddress bind)
    {
        try
        {
            return new dev.introducer.relay.RelayServer(
                new dev.introducer.engine.relay.RelayConfiguration().publicEndpoint(relayEndpoint).secret(relaySecret),
                bind, null == relayWorkers ? Runtime.getRuntime().availableProcessors() : relayWorkers, false,
                org.agrona.concurrent.SystemEpochClock.INSTANCE);
        }
        catch (final UncheckedIOException ex)
        {
            throw new UserException("cannot run the relay on " + relay + ": " + ErrorHandlers.oneLine(ex));
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
