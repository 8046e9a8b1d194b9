package dev.introducer.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.core.NatReport;
import dev.introducer.protocol.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code introducer nat}: runs NAT discovery against the given introducers once, prints the result and exits.
 */
@Command(
    name = "nat",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = {
        "Asks the introducers how this host's NAT maps and filters UDP, prints the result and exits.",
        "With two introducers it tells static, easy (endpoint-independent mapping) and hard " +
            "(endpoint-dependent) apart; with one the type stays unknown.",
        "Exit codes: 0 classified (unknown included), 1 no introducer answered in time, 2 bad argument."})
public final class NatCommand extends AbstractEngineCommand
{
    /**
     * The engine's discovery ends this much before the command's timeout so a partial answer (one introducer of
     * two) is still classified and printed rather than lost to the timeout.
     */
    private static final long DISCOVERY_MARGIN_MS = 500;

    @Option(names = "--introducer", paramLabel = "IP:PORT", required = true,
        description = "An introducer's UDP address; give two (two hosts or two addresses).")
    private List<String> introducers = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "IP:PORT", defaultValue = "0.0.0.0:0",
        description = "Local address to send from (default: ${DEFAULT-VALUE}, an ephemeral port).")
    private String bind;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
        description = "How long to wait for the introducers (default: ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    private boolean json;

    /**
     * {@inheritDoc}
     */
    int execute(final Console console)
    {
        final List<Endpoint> introducerEndpoints = Arguments.endpoints("--introducer", introducers);
        final Endpoint bindEndpoint = Arguments.endpoint("--bind", bind);
        final long timeoutMs = Arguments.positiveSeconds("--timeout", timeoutSeconds).toMillis();

        final CompletableFuture<Classified> answered = new CompletableFuture<>();
        final Engine.Builder builder = Engine.builder()
            .bind(Arguments.host(bindEndpoint), bindEndpoint.port())
            .configure(configuration -> configuration.discoveryTimeoutNs(
                TimeUnit.MILLISECONDS.toNanos(Math.max(DISCOVERY_MARGIN_MS, timeoutMs - DISCOVERY_MARGIN_MS))))
            .handler(new EngineHandler()
            {
                public void onNatDiscovered(final NatReport report)
                {
                    // A run that timed out with no answer at all reports unknown: that is no result, not a type.
                    if (report.introducersAnswered() > 0)
                    {
                        answered.complete(new Classified(report, System.nanoTime()));
                    }
                }
            });
        for (final Endpoint introducer : introducerEndpoints)
        {
            builder.introducer(introducer);
        }

        final long startNs = System.nanoTime();
        final Engine engine = builder.build();
        try
        {
            final Classified classified = await(answered, timeoutMs, null);
            if (null == classified)
            {
                console.error("no answer from the introducers within " + formatSeconds(timeoutSeconds) +
                    " s (is UDP blocked?)");
                return ExitCodes.FAILURE;
            }
            final long ms = TimeUnit.NANOSECONDS.toMillis(classified.atNs() - startNs);
            console.out(json ? toJson(classified.report(), ms) : toText(classified.report()));
            return ExitCodes.OK;
        }
        finally
        {
            engine.close();
        }
    }

    /**
     * The JSON form of a report.
     *
     * @param report the report.
     * @param ms     time to classify.
     * @return one line.
     */
    static String toJson(final NatReport report, final long ms)
    {
        return new Json()
            .field("nat", report.natType().label())
            .field("public", textOf(report.publicEndpoint()))
            .field("mapping", report.mapping().name().toLowerCase(Locale.ROOT))
            .field("filtering", report.filtering().name().toLowerCase(Locale.ROOT))
            .field("local", textOf(report.localEndpoint()))
            .field("introducersAnswered", report.introducersAnswered())
            .field("ms", ms)
            .end();
    }

    /**
     * The human form of a report.
     *
     * @param report the report.
     * @return one line.
     */
    static String toText(final NatReport report)
    {
        return "nat: " + report.natType().label() +
            "  public: " + orNone(report.publicEndpoint()) +
            "  mapping: " + hyphenated(report.mapping()) +
            "  filtering: " + hyphenated(report.filtering()) +
            "  local: " + orNone(report.localEndpoint());
    }

    private static String textOf(final Endpoint endpoint)
    {
        return null == endpoint || endpoint.isNone() ? null : endpoint.toString();
    }

    private static String orNone(final Endpoint endpoint)
    {
        final String text = textOf(endpoint);
        return null == text ? "none" : text;
    }

    private static String hyphenated(final Enum<?> value)
    {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Seconds as the user would write them: {@code 5}, not {@code 5.0}.
     *
     * @param seconds the value.
     * @return its text.
     */
    static String formatSeconds(final double seconds)
    {
        return seconds == Math.rint(seconds) ? Long.toString((long)seconds) : Double.toString(seconds);
    }

    /**
     * A discovery result and when it arrived.
     *
     * @param report the result.
     * @param atNs   {@link System#nanoTime()} when the engine reported it.
     */
    private record Classified(NatReport report, long atNs)
    {
    }
}
