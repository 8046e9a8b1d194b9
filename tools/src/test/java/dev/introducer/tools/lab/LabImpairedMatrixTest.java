package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every NAT pair through an impaired network (issue 11): loss on the internet bridge, delay with jitter on the
 * routers, and both at once. Every trial must connect on the pair's own path (direct, local, relay: a direct pair
 * that ends on the relay fails) and deliver every message each way.
 * <p>
 * The nodes are the documented deployment, two nodes each with a relay, for every pair but "hard↔hard, one relay"
 * (one node on both addresses, one relay). Each cell (pair × impairment) is a dynamic test. The default build runs
 * the CI plan, a few trials per cell; {@code -Dlab.matrix=full} ({@code mvn -Plab-matrix}, see
 * {@code tools/lab/README.md}) runs the long one. Results: {@code tools/target/lab-matrix-results.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("every NAT pair connects on its path and delivers every message through loss and delay")
class LabImpairedMatrixTest
{
    /** The system property that selects the plan: {@code ci} (default) or {@code full}. */
    static final String PLAN_PROPERTY = "lab.matrix";

    private static final int MESSAGES = 30;
    private static final int PEER_TIMEOUT_S = 20;
    /** Five more batches after success: at 10 % loss per bridge crossing a relayed message misses all of them with
     * p ≈ 0.19^5, so the other side is not stranded by a harness that stopped sending (with 3, one in 25 relayed
     * trials failed so). */
    private static final int LINGER_S = 5;

    private static final LabPeer SAME_NAT_A = new LabPeer("a", Set.of("easy", "hard"), "198.18.0.101");
    private static final LabPeer SAME_NAT_A2 = new LabPeer("a2", Set.of("easy", "hard"), "198.18.0.101");
    private static final List<PairTrials.Pair> PAIRS = List.of(
        new PairTrials.Pair("none↔easy", NatMode.EASY, NatMode.HARD, LabPeer.PUB, LabPeer.a("easy"), "direct"),
        new PairTrials.Pair("none↔hard", NatMode.EASY, NatMode.HARD, LabPeer.PUB, LabPeer.b("hard"), "direct"),
        new PairTrials.Pair("easy↔easy", NatMode.EASY, NatMode.EASY, LabPeer.a("easy"), LabPeer.b("easy"), "direct"),
        new PairTrials.Pair("easy↔hard", NatMode.EASY, NatMode.HARD, LabPeer.a("easy"), LabPeer.b("hard"), "direct"),
        new PairTrials.Pair("hard↔easy", NatMode.HARD, NatMode.EASY, LabPeer.a("hard"), LabPeer.b("easy"), "direct"),
        new PairTrials.Pair("same NAT", NatMode.EASY, NatMode.EASY, SAME_NAT_A, SAME_NAT_A2, "local"),
        new PairTrials.Pair("hard↔hard, two relays", NatMode.HARD, NatMode.HARD, LabPeer.a("hard"),
            LabPeer.b("hard"), "relay"));
    private static final PairTrials.Pair ONE_RELAY_PAIR = new PairTrials.Pair("hard↔hard, one relay",
        NatMode.HARD, NatMode.HARD, LabPeer.a("hard"), LabPeer.b("hard"), "relay");

    /**
     * One plan of the matrix.
     *
     * @param cells     impairments and trials per cell under each.
     * @param maxFailed failed trials after which a cell stops.
     */
    private record MatrixPlan(List<Cell> cells, int maxFailed)
    {
        static MatrixPlan fromProperty()
        {
            final String plan = System.getProperty(PLAN_PROPERTY, "ci");
            return switch (plan)
            {
                // The default build: 4 trials per pair, the combined impairment twice; a cell stops at its first
                // failure, so a broken engine costs one peer timeout per cell, not one per trial.
                case "ci" -> new MatrixPlan(List.of(
                    new Cell(LabImpairment.loss(10), 1),
                    new Cell(LabImpairment.delay(), 1),
                    new Cell(LabImpairment.lossAndDelay(10), 2)), 1);
                // 20 trials per cell: enough for a p95.
                case "full" -> new MatrixPlan(List.of(
                    new Cell(LabImpairment.loss(5), ConnectResults.MIN_SAMPLES_FOR_P95),
                    new Cell(LabImpairment.loss(15), ConnectResults.MIN_SAMPLES_FOR_P95),
                    new Cell(LabImpairment.delay(), ConnectResults.MIN_SAMPLES_FOR_P95),
                    new Cell(LabImpairment.lossAndDelay(10), ConnectResults.MIN_SAMPLES_FOR_P95)), 5);
                default -> throw new IllegalArgumentException("-D" + PLAN_PROPERTY + " must be ci or full: " + plan);
            };
        }
    }

    private record Cell(LabImpairment impairment, int trials)
    {
    }

    private final ConnectResults results = new ConnectResults();
    private final MarkdownTable cells = new MarkdownTable("pair", "impairment", "trials", "passed", "first failure");
    private final MatrixPlan plan = MatrixPlan.fromProperty();
    private NetLab lab;
    private Path logs;
    private Path secret;
    private List<NetLab.Background> nodes = List.of();
    private boolean oneRelay;

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void startLabAndRelayNodes() throws IOException
    {
        LabSupport.assumeLab();
        lab = NetLab.start("matrix", NatMode.EASY, NatMode.HARD);
        logs = Files.createDirectories(NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
        secret = LabRelays.writeSecret(logs);
        nodes = LabRelays.startRelayNodes(lab, logs, secret);
    }

    @AfterAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void recordResultsAndTearDownLab() throws IOException
    {
        try
        {
            if (!results.isEmpty())
            {
                final String title = "NAT lab: every pair through loss and delay (plan "
                    + System.getProperty(PLAN_PROPERTY, "ci") + ")";
                final Path file = NetLab.targetDirectory().resolve("lab-matrix-results.md");
                final String text = results.toMarkdown(title) + System.lineSeparator() + "## Cells"
                    + System.lineSeparator() + System.lineSeparator() + cells.render();
                Files.writeString(file, text, StandardCharsets.UTF_8);
                System.out.println(text);
                LabSupport.shout(text + "(written to " + file + ")");
            }
        }
        finally
        {
            if (null != lab)
            {
                lab.close();
            }
        }
    }

    @TestFactory
    @DisplayName("pair × impairment")
    Stream<DynamicTest> everyPairUnderEveryImpairment()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        // the two-relay deployment first: switching to one relay restarts the nodes once
        for (final boolean withOneRelay : List.of(false, true))
        {
            for (final Cell cell : plan.cells())
            {
                for (final PairTrials.Pair pair : withOneRelay ? List.of(ONE_RELAY_PAIR) : PAIRS)
                {
                    tests.add(DynamicTest.dynamicTest(pair.name() + " · " + cell.impairment().name() + " · "
                        + cell.trials() + " trial(s)", () -> runCell(withOneRelay, pair, cell)));
                }
            }
        }
        return tests.stream();
    }

    private void runCell(final boolean withOneRelay, final PairTrials.Pair pair, final Cell cell)
    {
        deploy(withOneRelay);
        final String row = pair.name() + " · " + cell.impairment().name();
        final PairTrials.Outcome outcome;
        cell.impairment().apply(lab);
        try
        {
            outcome = new PairTrials(lab, results, () -> nodes).run(pair, row, cell.trials(),
                new PairTrials.Plan(MESSAGES, PEER_TIMEOUT_S, LINGER_S, plan.maxFailed()));
        }
        finally
        {
            LabImpairment.clear(lab);
        }
        final int failed = outcome.failures().size();
        cells.row(pair.name(), cell.impairment().name(), outcome.ran() + " of " + cell.trials(),
            Integer.toString(outcome.ran() - failed), outcome.passed() ? "-" : firstLine(outcome.failures().get(0)));
        if (!outcome.passed())
        {
            fail(row + ": " + failed + " of " + outcome.ran() + " trials failed (logs " + logs + ")"
                + System.lineSeparator() + String.join(System.lineSeparator(), outcome.failures()));
        }
    }

    /** Restarts the nodes when a cell needs the other deployment. */
    private void deploy(final boolean withOneRelay)
    {
        if (withOneRelay == oneRelay)
        {
            return;
        }
        nodes.forEach(NetLab.Background::stop);
        nodes = List.of(IntroducerCli.startNode(lab, logs.resolve("node-one-relay.log"),
            Duration.ofSeconds(30), List.of("--relay", LabRelays.NODE_ADDRESSES.get(0) + ":"
                + LabRelays.RELAY_PORT, "--relay-secret-file", secret.toString())));
        lab.waitUdp("srv", LabRelays.RELAY_PORT, 10);
        oneRelay = withOneRelay;
    }

    private static String firstLine(final String text)
    {
        final String line = text.lines().findFirst().orElse("");
        return (line.length() > 160 ? line.substring(0, 160) + "…" : line).replace('|', '/');
    }
}
