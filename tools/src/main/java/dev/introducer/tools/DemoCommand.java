package dev.introducer.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.introducer.tools.lab.CliRun;
import dev.introducer.tools.lab.ExecResult;
import dev.introducer.tools.lab.LabAvailability;
import dev.introducer.tools.lab.LabException;
import dev.introducer.tools.lab.MarkdownTable;
import dev.introducer.tools.lab.NatMode;
import dev.introducer.tools.lab.NetLab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer demo}: builds the project's NAT lab (real kernel NATs in network namespaces), starts two
 * introducer/relay nodes in it and runs one pair of peers per NAT case, then prints what each pair did and takes
 * the lab down. Without root or network namespaces it runs the same pairs on loopback and says why.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Shows NAT traversal at work: one pair of peers per NAT case, through real kernel NATs.",
        "",
        "Builds the NAT lab (tools/lab/netlab.sh: network namespaces with nftables NATs, addresses in " +
            "198.18.0.0/15 only), starts two introducer/relay nodes and connects one pair of peers for each " +
            "case: easy↔easy, easy↔hard, hard↔easy, hard↔hard (relayed), same NAT (local) and public↔hard. " +
            "One side sends --messages test messages, the other echoes them.",
        "Prints a table: NAT types, path, strategy, time to connect, probes and messages echoed; then takes the " +
            "lab down, also on Ctrl-C or an error.",
        "Needs root, iproute2 and nftables (as .ci/run installs them). Without them, or with --loopback, it runs " +
            "the same pairs on 127.0.0.1 (every peer static) and says why the NAT cases were skipped.",
        "Exit codes: 0 every pair connected (on the expected path) and got its messages back, 1 otherwise, " +
            "2 bad argument."})
public final class DemoCommand extends AbstractEngineCommand
{
    private static final int TOTAL_CASES = DemoCase.ALL.size();
    /** The echoing side outlives the sender by this much at most; the demo stops it as soon as the sender ends. */
    private static final double ECHO_EXTRA_SECONDS = 30;
    /** The harness kills a sender only this long after its own --timeout. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(25);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Option(names = "--loopback", description = "Skip the NAT lab: run every pair on 127.0.0.1.")
    private boolean loopback;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100",
        description = "Test messages each sender sends and expects back (default: ${DEFAULT-VALUE}).")
    private int messages;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20",
        description = "Time limit of each pair (default: ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    @Option(names = "--logs", paramLabel = "DIR",
        description = "Where the nodes' and peers' logs go (default: a new directory in the temp directory).")
    private Path logsOption;

    /** Runs once the nodes are up; tests make it fail to check that the lab is still taken down. */
    Runnable afterIntroducersStarted = () ->
    {
    };

    int execute(final Console console)
    {
        Arguments.range("--messages", messages, 1, 100_000);
        final double pairTimeoutS = Arguments.positiveSeconds("--timeout", timeoutSeconds).toMillis() / 1000.0;
        final Path logs = logsDirectory();
        try (Progress progress = new Progress(console, "demo: ", Progress.STILL_RUNNING_INTERVAL_DEFAULT_MS))
        {
            final Optional<String> labUnavailable = loopback ? Optional.of("--loopback was given") :
                progress.step("checking for root, network namespaces and nftables",
                    LabAvailability::unavailableReason);
            final DemoHosts hosts;
            if (labUnavailable.isEmpty())
            {
                final NetLab lab;
                try
                {
                    // a failed 'up' removes what it built
                    lab = progress.step("building the NAT lab (tools/lab/netlab.sh)",
                        () -> NetLab.start("demo", NatMode.EASY, NatMode.EASY));
                }
                catch (final LabException ex)
                {
                    console.error("cannot build the NAT lab: " + ErrorHandlers.oneLine(ex));
                    return ExitCodes.FAILURE;
                }
                progress.say("lab '" + lab.prefix() + "' is up: namespaces " + lab.prefix() + "-*");
                hosts = new LabDemoHosts(lab);
            }
            else
            {
                progress.say("NAT cases skipped: " + labUnavailable.get() + ". Running the same pairs on loopback " +
                    "instead (every peer static, no NAT).");
                hosts = new LoopbackDemoHosts();
            }
            final List<DemoResult> results = new ArrayList<>();
            // Ctrl-C ends the JVM: NetLab's own hook (or the loopback one) then stops everything; this says so.
            final Thread interrupted = new Thread(() -> progress.say("interrupted: " +
                (labUnavailable.isEmpty() ? "tearing the lab down" : "stopping the nodes and peers")),
                "introducer-demo-interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted);
            try
            {
                final List<String> introducers = progress.step("starting two introducer/relay nodes",
                    () -> hosts.startIntroducers(logs));
                afterIntroducersStarted.run();
                for (int i = 0; i < TOTAL_CASES; i++)
                {
                    results.add(runCase(progress, hosts, introducers, DemoCase.ALL.get(i), i + 1, pairTimeoutS, logs,
                        labUnavailable.isEmpty()));
                }
            }
            catch (final LabException ex)
            {
                console.error("demo failed: " + ErrorHandlers.oneLine(ex) + " (logs in " + logs + ")");
                return ExitCodes.FAILURE;
            }
            finally
            {
                removeShutdownHook(interrupted);
                progress.step(labUnavailable.isEmpty() ? "tearing the lab down" : "stopping the nodes", () ->
                {
                    try
                    {
                        hosts.close();
                    }
                    catch (final LabException ex)
                    {
                        console.error("tearing down: " + ErrorHandlers.oneLine(ex));
                    }
                    return null;
                });
            }
            console.out(table(results));
            console.out(labUnavailable.isEmpty() ?
                "Every pair ran through real kernel NATs (nftables masquerade = easy, fully-random = hard)." :
                "NAT cases skipped: " + labUnavailable.get() + "; these pairs ran on loopback.");
            console.out("connect ms and probes: sending side / echoing side, from the introduction to the first " +
                "answer. echoed: the sender's messages that came back. Logs: " + logs);
            return results.stream().allMatch(DemoResult::ok) ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private DemoResult runCase(
        final Progress progress,
        final DemoHosts hosts,
        final List<String> introducers,
        final DemoCase demoCase,
        final int number,
        final double pairTimeoutS,
        final Path logs,
        final boolean inLab)
    {
        final String label = "case " + number + "/" + TOTAL_CASES + " " + demoCase.name();
        hosts.prepare(demoCase);
        final byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        final List<String> common = new ArrayList<>(List.of("peer", "--json",
            "--swarm", "demo-" + demoCase.slug() + "-" + HexFormat.of().formatHex(nonce),
            "--bind", hosts.peerBind()));
        common.addAll(introducers);
        final List<String> echoArgs = new ArrayList<>(common);
        echoArgs.addAll(List.of("--echo", "--timeout", NatCommand.formatSeconds(pairTimeoutS + ECHO_EXTRA_SECONDS)));
        final List<String> senderArgs = new ArrayList<>(common);
        senderArgs.addAll(List.of("--messages", Integer.toString(messages),
            "--timeout", NatCommand.formatSeconds(pairTimeoutS)));

        final String logName = number + "-" + demoCase.slug();
        final DemoHosts.Running echo = hosts.start(demoCase.hostTwo(), logs.resolve(logName + "-echo.log"), echoArgs);
        final ExecResult sent;
        try
        {
            final Duration limit = Duration.ofMillis((long)(pairTimeoutS * 1000)).plus(KILL_MARGIN);
            sent = progress.step(label + ": connecting " + (inLab ?
                demoCase.hostOne() + " and " + demoCase.hostTwo() : "two peers on loopback"),
                () -> hosts.run(demoCase.hostOne(), limit, senderArgs));
        }
        finally
        {
            echo.stop();
        }
        write(logs.resolve(logName + "-sender.log"), sent.stdout() + sent.stderr());
        final DemoResult result = DemoResult.of(demoCase, new CliRun(demoCase.hostOne(), sent), echo.log(), messages,
            inLab);
        progress.say(label + ": " + (result.ok() ?
            "connected, path " + result.one().get("path") + ", " + result.echoed() + " messages echoed" :
            "FAILED: " + result.problem()));
        return result;
    }

    static String table(final List<DemoResult> results)
    {
        final MarkdownTable table = new MarkdownTable(
            "#", "case", "NATs", "path", "strategy", "connect ms", "probes", "echoed", "result");
        int number = 0;
        for (final DemoResult result : results)
        {
            number++;
            table.row(
                Integer.toString(number),
                result.demoCase().name(),
                result.natOne() + " ↔ " + result.natTwo(),
                bothSides(result, "path"),
                bothSides(result, "strategy"),
                bothSides(result, "ms"),
                bothSides(result, "probes"),
                result.echoed() + "/" + result.messages(),
                result.ok() ? "ok" : result.problem());
        }
        return table.render().stripTrailing();
    }

    private static String bothSides(final DemoResult result, final String field)
    {
        final String one = valueOf(result.one(), field);
        final String two = valueOf(result.two(), field);
        // a path or strategy both sides share is shown once; numbers always per side
        final boolean sharedText = ("path".equals(field) || "strategy".equals(field)) && one.equals(two);
        return sharedText ? one : one + " / " + two;
    }

    private static String valueOf(final Map<String, Object> connected, final String field)
    {
        return null == connected ? "-" : String.valueOf(connected.get(field));
    }

    private static void removeShutdownHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is already shutting down: the hook is running
        }
    }

    private Path logsDirectory()
    {
        try
        {
            if (null == logsOption)
            {
                return Files.createTempDirectory("introducer-demo-");
            }
            return Files.createDirectories(logsOption).toAbsolutePath();
        }
        catch (final IOException ex)
        {
            throw new UserException("cannot create the log directory: " + ErrorHandlers.oneLine(ex));
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
