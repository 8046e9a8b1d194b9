package dev.introducer.tools.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives the {@code introducer} CLI ({@code dev.introducer.tools.IntroducerCommand}) inside a {@link NetLab}: the
 * introducer node on srv, {@code nat} and {@code peer} runs in the other hosts, several at once.
 */
public final class IntroducerCli
{
    /** The CLI's main class, run from the test class path. */
    public static final String MAIN_CLASS = "dev.introducer.tools.IntroducerCommand";

    /** The UDP port of the introducers and, by default, of the peers. */
    public static final int PORT = 3456;

    /** The first introducer address, on srv. */
    public static final String INTRODUCER_1 = "198.18.0.10:" + PORT;

    /** The second introducer address, on srv too: two addresses tell the NAT's mapping behaviour. */
    public static final String INTRODUCER_2 = "198.18.0.11:" + PORT;

    private static final long POLL_MILLIS = 50;

    private IntroducerCli()
    {
    }

    /**
     * @param args the CLI's arguments, e.g. {@code "nat", "--json", ...}.
     * @return the command line that runs the CLI in a fresh JVM from the test class path.
     */
    public static List<String> command(final String... args)
    {
        return NetLab.javaCommand(MAIN_CLASS, args);
    }

    /**
     * @param args the CLI's arguments.
     * @return the command line that runs the CLI in a fresh JVM from the test class path.
     */
    public static List<String> command(final List<String> args)
    {
        return command(args.toArray(String[]::new));
    }

    /**
     * Starts {@code introducer node --json} on srv, listening on both introducer addresses, and waits until it
     * has bound udp/{@value #PORT} and announced both addresses with a {@code listening} event.
     *
     * @param lab     the lab.
     * @param logFile where the node's stdout and stderr go.
     * @param timeout how long start-up may take.
     * @return the running node; the lab stops it at the latest when it goes down.
     */
    public static NetLab.Background startNode(final NetLab lab, final Path logFile, final Duration timeout)
    {
        return startNode(lab, logFile, timeout, List.of());
    }

    /**
     * Starts the node with extra options (the relay's, for instance) and waits until it listens.
     *
     * @param lab     the lab.
     * @param logFile where the node's stdout and stderr go.
     * @param timeout how long start-up may take.
     * @param extra   further options of {@code node}.
     * @return the running node.
     */
    public static NetLab.Background startNode(
        final NetLab lab, final Path logFile, final Duration timeout, final List<String> extra)
    {
        // The counters file next to the log, not in /dev/shm: a lab run leaves nothing behind but its logs.
        final List<String> args = new ArrayList<>(List.of(
            "node", "--listen", INTRODUCER_1, "--listen", INTRODUCER_2, "--json",
            "--counters-file", logFile.resolveSibling(logFile.getFileName() + ".counters.dat").toString()));
        args.addAll(extra);
        final NetLab.Background node = lab.startBackground("srv", logFile, command(args));
        lab.waitUdp("srv", PORT, timeout.toMillis() / 1000.0);
        awaitListening(node, Set.of(INTRODUCER_1, INTRODUCER_2), timeout);
        return node;
    }

    /**
     * Waits until the node's log holds a {@code {"event":"listening","address":...}} line for every address.
     *
     * @param node      the node.
     * @param addresses the addresses it must announce.
     * @param timeout   how long at most.
     * @return the listening events.
     */
    public static List<Map<String, Object>> awaitListening(
        final NetLab.Background node,
        final Set<String> addresses,
        final Duration timeout)
    {
        return awaitListening(node::log, node::isAlive, addresses, timeout);
    }

    /**
     * Waits until a node's log holds a {@code {"event":"listening","address":...}} line for every address: a
     * node anywhere, given how to read its log and whether it still runs.
     *
     * @param log       reads the node's log (stdout and stderr together).
     * @param alive     whether the node still runs.
     * @param addresses the addresses it must announce; empty: any one listening event will do.
     * @param timeout   how long at most.
     * @return the listening events.
     */
    public static List<Map<String, Object>> awaitListening(
        final java.util.function.Supplier<String> log,
        final java.util.function.BooleanSupplier alive,
        final Set<String> addresses,
        final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final String text = log.get();
            final List<Map<String, Object>> listening = new ArrayList<>();
            final Set<String> announced = new HashSet<>();
            // only complete lines: the node may be in the middle of writing one
            final String complete = text.substring(0, text.lastIndexOf('\n') + 1);
            for (final Map<String, Object> event : FlatJson.parseObjectLines(complete))
            {
                if ("listening".equals(event.get("event")))
                {
                    listening.add(event);
                    announced.add(String.valueOf(event.get("address")));
                }
            }
            if (announced.containsAll(addresses) && !listening.isEmpty())
            {
                return listening;
            }
            if (!alive.getAsBoolean())
            {
                throw new LabException("introducer node ended before announcing " + addresses + "; log:"
                    + System.lineSeparator() + text);
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new LabException("introducer node did not announce " + addresses + " within " + timeout
                    + "; log:" + System.lineSeparator() + text);
            }
            sleep();
        }
    }

    /**
     * The arguments of one {@code introducer peer --json} run against both lab introducers.
     *
     * @param swarm the swarm name.
     * @param extra further options, e.g. {@code "--messages", "10"}.
     * @return the argument list.
     */
    public static List<String> peerArgs(final String swarm, final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of(
            "peer", "--introducer", INTRODUCER_1, "--introducer", INTRODUCER_2, "--swarm", swarm, "--json"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    /**
     * One CLI run to start: where, and with which arguments.
     *
     * @param host a lab host.
     * @param args the CLI's arguments.
     */
    public record Invocation(String host, List<String> args)
    {
        /**
         * @param host a lab host.
         * @param args the CLI's arguments (copied).
         */
        public Invocation
        {
            args = List.copyOf(args);
        }
    }

    /**
     * Starts all invocations at once (each in its host) and waits for all of them; each is killed at
     * {@code limit}.
     *
     * @param lab         the lab.
     * @param limit       the time limit of each run.
     * @param invocations what to run.
     * @return the runs, in the order of {@code invocations}.
     */
    public static List<CliRun> runTogether(final NetLab lab, final Duration limit, final List<Invocation> invocations)
    {
        final ExecutorService executor = Executors.newFixedThreadPool(invocations.size(), runnable ->
        {
            final Thread thread = new Thread(runnable, "lab-cli");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final List<Future<CliRun>> futures = new ArrayList<>();
            for (final Invocation invocation : invocations)
            {
                futures.add(executor.submit(() -> new CliRun(
                    invocation.host(), lab.exec(invocation.host(), limit, command(invocation.args())))));
            }
            final List<CliRun> runs = new ArrayList<>();
            for (final Future<CliRun> future : futures)
            {
                // each exec is bounded by 'limit' (plus the kill grace), so this get() is bounded too
                runs.add(future.get());
            }
            return runs;
        }
        catch (final ExecutionException ex)
        {
            throw new LabException("running " + invocations + " failed", ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + invocations, ex);
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(POLL_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", ex);
        }
    }
}
