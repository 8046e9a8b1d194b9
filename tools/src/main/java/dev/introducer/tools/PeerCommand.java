package dev.introducer.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.introducer.engine.Engine;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.engine.journal.AttemptJournal;
import dev.introducer.engine.journal.JournalException;
import dev.introducer.protocol.DataFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer peer}: joins a swarm through the introducers, connects to its members and exchanges rounds
 * of test messages with them; the lab's end-to-end check of hole punching and keepalives.
 */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Joins a swarm, connects to its peers and exchanges test messages with them.",
        "",
        "Round 1: each connected peer is sent N messages of BYTES bytes (byte 0 the round, bytes 1-4 the " +
            "sequence, big-endian), re-sent every second since UDP may drop them. It succeeds when K connected " +
            "peers each sent us all N distinct sequences.",
        "With --idle S > 0 the peer then sends nothing for S seconds (the engine's keepalives alone hold the " +
            "NAT mappings; a peer still sending round 1 is answered with our round 1, at most once a second, so " +
            "it can finish), then runs round 2 the same way.",
        "After success it keeps re-sending for --linger seconds so the other side can finish, then exits.",
        "A peer lost before success makes the run fail.",
        "",
        "--echo sends no rounds: every message received goes straight back to its sender (the other side of a " +
            "load test or of 'introducer demo'). --chat sends each line of stdin to every connected peer and " +
            "prints each line received as 'SHORT-ID: text'; it ends at the end of stdin. Both also end at " +
            "SIGINT/SIGTERM or --timeout, if given.",
        "",
        "JSON events on stdout (--json), one per line: nat, connected, needs-relay, lost, connect-failed, chat, " +
            "and last a summary with connected (peers connected at the end), received (distinct messages, that " +
            "is (peer, sequence) pairs, received in the run's current round: round 1, or round 2 once it has " +
            "started; with --echo or --chat all messages received), ok (true or false) and, with --echo, " +
            "echoed. tools/README.md lists the fields.",
        "Exit codes: 0 ok, 1 timeout or a lost peer (--echo: fewer than K peers connected), 2 bad argument or " +
            "port in use."})
public final class PeerCommand extends AbstractEngineCommand
{
    private static final long TICK_MS = 100;
    private static final long SUMMARY_WAIT_MS = 2_000;
    private static final double ROUNDS_TIMEOUT_DEFAULT_S = 30;

    @Option(names = "--introducer", paramLabel = "IP:PORT", required = true,
        description = "An introducer's UDP address; give two (two hosts or two addresses).")
    private List<String> introducers = new ArrayList<>();

    @Option(names = "--swarm", paramLabel = "NAME", required = true,
        description = "The swarm to join; its id is the SHA-256 of the name.")
    private String swarm;

    @Option(names = "--bind", paramLabel = "IP:PORT", defaultValue = "0.0.0.0:3456",
        description = "Local UDP address (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--expect-peers", paramLabel = "K", defaultValue = "1",
        description = "Peers that must complete each round (default: ${DEFAULT-VALUE}).")
    private int expectPeers;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "10",
        description = "Messages per round and peer (default: ${DEFAULT-VALUE}).")
    private int messages;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
        description = "Bytes per message, at least 9 (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Time limit from start to success (default: 30; none with --echo or --chat).")
    private Double timeoutOption;

    @Option(names = "--echo", description = "Send every message received back to its sender; send no rounds.")
    private boolean echo;

    @Option(names = "--chat", description = "Send stdin's lines to the swarm, print the lines received.")
    private boolean chat;

    /** Where --chat reads its lines; tests replace it. */
    java.io.InputStream input = System.in;

    private final CompletableFuture<Boolean> stopRequested = new CompletableFuture<>();

    @Option(names = "--keepalive", paramLabel = "SECONDS",
        description = "Keepalive period, fractional seconds allowed (default: the engine's, 15).")
    private Double keepaliveSeconds;

    @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "0",
        description = "Silence between round 1 and round 2; 0 runs round 1 only (default: ${DEFAULT-VALUE}).")
    private double idleSeconds;

    @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "1",
        description = "Time to keep re-sending after success (default: ${DEFAULT-VALUE}).")
    private double lingerSeconds;

    @Option(names = "--json", description = "JSON events on stdout, one per line.")
    private boolean json;

    @Option(names = "--relay-for-swarms", description = "Relay for peers of our swarms that cannot connect to " +
        "each other, while our NAT is static or easy (peer relay); prints relay-stats at the end.")
    private boolean relayForSwarms;

    @Option(names = "--relay-quota", paramLabel = "PPS", defaultValue = "5000",
        description = "With --relay-for-swarms: datagrams per second each relayed session may pass through us, " +
            "and 1500 bytes per datagram (default: ${DEFAULT-VALUE}).")
    private int relayQuota;
    @Option(names = "--journal", paramLabel = "FILE",
        description = "Attempt journal to append every connection attempt to, created if missing; 'none' for no " +
            "journal (default: $XDG_STATE_HOME/introducer/attempts.journal, else " +
            "~/.local/state/introducer/attempts.journal).")
    private String journal;

    /**
     * {@inheritDoc}
     */
    int execute(final Console console)
    {
        final List<Endpoint> introducerEndpoints = Arguments.endpoints("--introducer", introducers);
        final Endpoint bindEndpoint = Arguments.endpoint("--bind", bind);
        if (swarm.isEmpty())
        {
            throw new UserException("--swarm must not be empty");
        }
        Arguments.range("--expect-peers", expectPeers, 1, 65_536);
        Arguments.range("--messages", messages, 1, 1_000_000);
        Arguments.range("--size", size, 9, DataFlyweight.MAX_PAYLOAD_LENGTH);
        if (echo && chat)
        {
            throw new UserException("--echo and --chat exclude each other");
        }
        final PeerSession.Mode mode = echo ? PeerSession.Mode.ECHO :
            chat ? PeerSession.Mode.CHAT : PeerSession.Mode.ROUNDS;
        final double timeoutSeconds = null != timeoutOption ? timeoutOption :
            PeerSession.Mode.ROUNDS == mode ? ROUNDS_TIMEOUT_DEFAULT_S : Double.POSITIVE_INFINITY;
        final long timeoutMs = Double.isInfinite(timeoutSeconds) ? Long.MAX_VALUE :
            Arguments.positiveSeconds("--timeout", timeoutSeconds).toMillis();
        final Duration idle = Arguments.nonNegativeSeconds("--idle", idleSeconds);
        final long lingerMs = Arguments.nonNegativeSeconds("--linger", lingerSeconds).toMillis();
        final Duration keepalive = null == keepaliveSeconds ? null :
            Arguments.positiveSeconds("--keepalive", keepaliveSeconds);

        final long startNs = System.nanoTime();
        final PeerSession session = new PeerSession(console, json, expectPeers, messages, size, idle.toNanos());
        final PeerChat chatter = PeerSession.Mode.CHAT == mode ? new PeerChat(console, json) : null;
        session.mode(mode, chatter);
        final Engine.Builder builder = Engine.builder()
            .bind(Arguments.host(bindEndpoint), bindEndpoint.port())
            .handler(session);
        for (final Endpoint introducer : introducerEndpoints)
        {
            builder.introducer(introducer);
        }
        if (null != keepalive)
        {
            builder.keepalive(keepalive);
        }
        if (relayForSwarms)
        {
            Arguments.range("--relay-quota", relayQuota, 1, 10_000_000);
            builder.configure((c) -> c.relaying().peerRelay(true).peerRelayQuota(relayQuota, relayQuota * 1500L));
        }
        builder.attemptJournal(journal(console));

        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "introducer-peer-timer");
            thread.setDaemon(true);
            return thread;
        });
        final SignalTrap signalTrap = PeerSession.Mode.ROUNDS == mode ? null :
            new SignalTrap(this::stop, () -> sleep(SUMMARY_WAIT_MS));
        try (Engine engine = builder.build())
        {
            session.engine(engine);
            console.info("peer " + engine.localId().shortHex() + " on " +
                new Endpoint().set(engine.localAddress()) + " (" + (engine.isEpoll() ? "epoll" : "nio") +
                "), swarm '" + swarm + "'");
            // The timer only hops onto the engine's thread: the session's state is touched there alone.
            timer.scheduleAtFixedRate(() -> engine.execute(session::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            engine.join(Id32.sha256(swarm));

            if (null != chatter)
            {
                chatter.start(input, engine, session, stopRequested, lingerMs);
            }
            final long remainingMs = timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            final boolean succeeded;
            if (PeerSession.Mode.ROUNDS == mode)
            {
                succeeded = await(session.succeeded(), Math.max(0, remainingMs), false);
            }
            else
            {
                // Echo and chat have no goal of their own: they run until stopped (end of stdin, a signal) or the
                // --timeout; echo is judged by whether K peers came.
                await(stopRequested, Math.max(0, remainingMs), false);
                final CompletableFuture<Integer> everConnected = new CompletableFuture<>();
                engine.execute(() -> everConnected.complete(session.peersEverConnected()));
                succeeded = PeerSession.Mode.CHAT == mode ||
                    await(everConnected, SUMMARY_WAIT_MS, 0) >= expectPeers;
            }
            if (succeeded)
            {
                if (PeerSession.Mode.ROUNDS == mode)
                {
                    sleep(lingerMs);
                }
            }
            else
            {
                console.info(PeerSession.Mode.ROUNDS == mode ?
                    "timeout after " + NatCommand.formatSeconds(timeoutSeconds) + " s" :
                    "fewer than " + expectPeers + " peer(s) connected");
                // What the engine saw: which drop counters moved tells a lost path from a refused one.
                console.info("engine counters: " + engine.countersSnapshot());
            }
            timer.shutdownNow();
            final PeerSession.Summary summary = summarize(engine, session, succeeded);
            if (relayForSwarms)
            {
                console.out(new Json().field("event", "relay-stats")
                    .field("forwarded", engine.peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED))
                    .field("quota", engine.peerRelayCounter(RelayCounters.Type.QUOTA_SESSION)).end());
            }
            final boolean ok = PeerSession.Mode.ROUNDS == mode ? summary.ok() : succeeded;
            if (json)
            {
                final Json line = new Json()
                    .field("event", "summary").field("connected", summary.connected())
                    .field("received", summary.received());
                if (echo)
                {
                    line.field("echoed", summary.echoed());
                }
                console.out(line.field("ok", ok).end());
            }
            else
            {
                console.out("summary: connected " + summary.connected() + "  received " + summary.received() +
                    (PeerSession.Mode.ROUNDS == mode ? " (round " + summary.round() + ")" : "") +
                    (echo ? "  echoed " + summary.echoed() : "") + "  " + (ok ? "ok" : "FAILED"));
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILURE;
        }
        finally
        {
            timer.shutdownNow();
            if (null != signalTrap)
            {
                signalTrap.close();
            }
        }
    }

    /**
     * The journal to use: the one given (which must open), none, or the default (skipped with a note if it
     * cannot be opened: a peer never fails for want of its journal).
     */
    private Path journal(final Console console)
    {
        if ("none".equals(journal))
        {
            return null;
        }
        final Path file = null == journal ? AttemptReport.defaultJournal() : Path.of(journal);
        try
        {
            // Opened once here so that a bad file is a user error before any socket is bound.
            AttemptJournal.open(file).close();
            return file;
        }
        catch (final JournalException ex)
        {
            if (null != journal)
            {
                throw new UserException("--journal " + ex.getMessage());
            }
            console.info("no attempt journal: " + ex.getMessage());
            return null;
        }
    }

    /**
     * Asks a running {@code --echo} or {@code --chat} peer to print its summary and end; safe from any thread.
     * SIGINT and SIGTERM call it.
     */
    void stop()
    {
        stopRequested.complete(Boolean.TRUE);
    }

    private static PeerSession.Summary summarize(
        final Engine engine, final PeerSession session, final boolean succeeded)
    {
        final CompletableFuture<PeerSession.Summary> summary = new CompletableFuture<>();
        engine.execute(() -> summary.complete(session.stop(succeeded)));
        try
        {
            return summary.get(SUMMARY_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // The engine's thread did not answer: report a failure with nothing counted.
        }
        return new PeerSession.Summary(0, 0, 1, false, 0);
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
