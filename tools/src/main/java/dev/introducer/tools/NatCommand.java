package dev.introducer.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.IntroducerInfo;
import dev.introducer.engine.NatReport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;
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
        "It also says whether UDP gets through at all (no answer from any introducer: UDP appears blocked), " +
            "what the filtering means, and what each introducer saw of us. It ends as soon as the answers " +
            "decide (well under 2 s when the introducers answer).",
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
            .configure(configuration -> configuration.discovery().discoveryTimeoutNs(
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
            final List<IntroducerAnswer> answers = answers(engine, null != classified);
            if (null == classified)
            {
                final NatReport none = new NatReport(NatType.UNKNOWN, NatReport.Mapping.UNKNOWN,
                    NatReport.Filtering.UNKNOWN, null, new Endpoint().set(engine.localAddress()), 0);
                final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                print(console, none, ms, answers, timeoutSeconds);
                console.error("no answer from the introducers within " + formatSeconds(timeoutSeconds) +
                    " s: UDP appears blocked (or the introducers are down)");
                return ExitCodes.FAILURE;
            }
            final long ms = TimeUnit.NANOSECONDS.toMillis(classified.atNs() - startNs);
            print(console, classified.report(), ms, answers, timeoutSeconds);
            return ExitCodes.OK;
        }
        finally
        {
            engine.close();
        }
    }

    private void print(
        final Console console,
        final NatReport report,
        final long ms,
        final List<IntroducerAnswer> answers,
        final double timeoutSeconds)
    {
        if (json)
        {
            console.out(toJson(report, ms, answers));
            return;
        }
        console.out(toText(report));
        final long answered = answers.stream().filter(IntroducerAnswer::answered).count();
        console.out(0 == answered ?
            "udp: appears blocked: none of the " + answers.size() + " introducer(s) answered within " +
                formatSeconds(timeoutSeconds) + " s" :
            "udp: gets through: " + answered + " of " + answers.size() + " introducer(s) answered in " + ms + " ms");
        console.out("filtering: " + hyphenated(report.filtering()) + ": " + meaning(report));
        for (final IntroducerAnswer answer : answers)
        {
            console.out("introducer " + answer.address() + (answer.answered() ?
                " (id " + answer.idShortHex() + "): saw us at " + answer.saw() : ": no answer"));
        }
    }

    /**
     * What each introducer saw, read from the engine once discovery is over.
     */
    private static List<IntroducerAnswer> answers(
        final Engine engine, final boolean anyAnswer)
    {
        final List<IntroducerAnswer> answers = new ArrayList<>();
        for (final IntroducerInfo introducer : engine.introducers())
        {
            final boolean saw = anyAnswer && introducer.answered();
            answers.add(new IntroducerAnswer(introducer.address().toString(),
                null == introducer.id() ? null : introducer.id().shortHex(),
                saw ? introducer.observed().toString() : null));
        }
        return answers;
    }

    private static String meaning(final NatReport report)
    {
        return switch (report.filtering())
        {
            case OPEN -> "a packet from a port we never sent to got in (endpoint-independent filtering): " +
                "reachable without a punch";
            case RESTRICTED -> "a packet from a port we never sent to was dropped (address- or port-dependent " +
                "filtering): a peer gets in only after we sent to it, so peers punch";
            case UNKNOWN -> NatReport.Mapping.ENDPOINT_DEPENDENT == report.mapping() ?
                "not tested to the end: with a new port per destination a punch is needed anyway" :
                "not known: too few answers to test it";
        };
    }

    /**
     * The JSON form of a report: the report's fields, {@code udp} ({@code ok} or {@code blocked}), then per
     * introducer N (from 1, in command-line order) {@code introducerN}, {@code introducerNId} and
     * {@code introducerNSaw} (null when it did not answer). One flat object.
     *
     * @param report  the report.
     * @param ms      time to classify.
     * @param answers what each introducer saw.
     * @return one line.
     */
    static String toJson(final NatReport report, final long ms, final List<IntroducerAnswer> answers)
    {
        final Json line = new Json()
            .field("nat", report.natType().label())
            .field("public", textOf(report.publicEndpoint()))
            .field("mapping", report.mapping().name().toLowerCase(Locale.ROOT))
            .field("filtering", report.filtering().name().toLowerCase(Locale.ROOT))
            .field("local", textOf(report.localEndpoint()))
            .field("introducersAnswered", report.introducersAnswered())
            .field("ms", ms)
            .field("udp", answers.stream().anyMatch(IntroducerAnswer::answered) ? "ok" : "blocked");
        for (int i = 0; i < answers.size(); i++)
        {
            final IntroducerAnswer answer = answers.get(i);
            final String key = "introducer" + (i + 1);
            line.field(key, answer.address()).field(key + "Id", answer.idShortHex()).field(key + "Saw", answer.saw());
        }
        return line.end();
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
     * What one introducer said.
     *
     * @param address    the introducer's address as given.
     * @param idShortHex its id, short, or null if it never answered.
     * @param saw        our endpoint as it saw it, or null if it did not answer.
     */
    record IntroducerAnswer(String address, String idShortHex, String saw)
    {
        boolean answered()
        {
            return null != saw;
        }
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
