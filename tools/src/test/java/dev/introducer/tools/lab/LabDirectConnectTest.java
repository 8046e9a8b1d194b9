package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two {@code introducer peer} processes find each other through the introducer and connect DIRECTLY through the
 * kernel's own NATs: every pair of NAT types that can be punched, over several trials, with the connect times
 * recorded (table in the build log and {@code tools/target/lab-results.md}). hard↔hard cannot be punched: both
 * sides must say they need a relay.
 * <p>
 * One lab and one introducer node serve every trial. Each trial flushes both routers' conntrack (re-applying
 * their NAT modes) and uses a fresh swarm, so it is a first contact, and runs both peers at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("introducer peer connects directly through real kernel NATs")
class LabDirectConnectTest
{
    private static final int MESSAGES = 10;
    private static final int FEW_TRIALS = 5;
    private static final int MANY_TRIALS = 20;
    private static final int MAX_FAILED_TRIALS = 3;
    private static final double P95_LIMIT_MS = 1000;
    /** The peers' own --timeout; the harness kills them only well after it. */
    private static final int PEER_TIMEOUT_S = 20;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(PEER_TIMEOUT_S + 25);
    private static final int RELAY_PEER_TIMEOUT_S = 5;
    private static final PairTrials.Plan PLAN = new PairTrials.Plan(MESSAGES, PEER_TIMEOUT_S, 1, MAX_FAILED_TRIALS);

    private final ConnectResults results = new ConnectResults();
    private NetLab lab;
    private NetLab.Background node;

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void startLabAndIntroducerNode() throws IOException
    {
        LabSupport.assumeLab();
        lab = NetLab.start("direct", NatMode.EASY, NatMode.HARD);
        final Path logs = Files.createDirectories(NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
        node = IntroducerCli.startNode(lab, logs.resolve("node.log"), Duration.ofSeconds(30));
    }

    @AfterAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void recordResultsAndTearDownLab()
    {
        try
        {
            if (!results.isEmpty())
            {
                final String title = "NAT lab: direct connections through kernel NATs";
                final Path file = NetLab.targetDirectory().resolve("lab-results.md");
                results.writeMarkdown(file, title);
                final String table = results.toMarkdown(title);
                System.out.println(table);
                LabSupport.shout(table + "(written to " + file + ")");
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

    @Test
    @Order(1)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("a public host and a host behind an easy NAT connect directly")
    void publicHostAndEasyNatConnectDirectly()
    {
        runPair("none↔easy", NatMode.EASY, NatMode.HARD, LabPeer.PUB, LabPeer.a("easy"), "direct", FEW_TRIALS);
    }

    @Test
    @Order(2)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("a public host and a host behind a hard NAT connect directly")
    void publicHostAndHardNatConnectDirectly()
    {
        runPair("none↔hard", NatMode.EASY, NatMode.HARD, LabPeer.PUB, LabPeer.b("hard"), "direct", FEW_TRIALS);
    }

    @Test
    @Order(3)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("two hosts behind easy NATs connect directly")
    void twoEasyNatsConnectDirectly()
    {
        runPair("easy↔easy", NatMode.EASY, NatMode.EASY, LabPeer.a("easy"), LabPeer.b("easy"), "direct",
            FEW_TRIALS);
    }

    @Test
    @Order(4)
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    @DisplayName("easy NAT and hard NAT connect directly, 95 % of the time within a second")
    void easyAndHardNatConnectDirectlyWithinASecond()
    {
        final LabPeer easy = LabPeer.a("easy");
        final LabPeer hard = LabPeer.b("hard");
        runPair("easy↔hard", NatMode.EASY, NatMode.HARD, easy, hard, "direct", MANY_TRIALS);
        for (final LabPeer side : List.of(easy, hard))
        {
            final List<Double> millis = results.millis("easy↔hard", side.label());
            final double p95 = ConnectResults.percentile(millis, 95);
            assertTrue(p95 <= P95_LIMIT_MS,
                "easy↔hard: p95 connect time of " + side.label() + " is " + p95 + " ms > " + P95_LIMIT_MS
                    + " ms; samples (Infinity: connected only after a connect-failed attempt) " + millis);
        }
    }

    @Test
    @Order(5)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("hard NAT and easy NAT connect directly (the hard side starts from host a)")
    void hardAndEasyNatConnectDirectly()
    {
        runPair("hard↔easy", NatMode.HARD, NatMode.EASY, LabPeer.a("hard"), LabPeer.b("easy"), "direct",
            FEW_TRIALS);
    }

    @Test
    @Order(6)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("two hosts behind the same NAT connect over their LAN (path local)")
    void twoHostsBehindTheSameNatConnectLocally()
    {
        // a and a2 share router A's public address. Both bind udp/3456, so to the same introducer only the first
        // mapping can keep that port: the kernel gives the second one other ports, and it may classify as hard.
        final LabPeer a = new LabPeer("a", Set.of("easy", "hard"), "198.18.0.101");
        final LabPeer a2 = new LabPeer("a2", Set.of("easy", "hard"), "198.18.0.101");
        runPair("same NAT (easy)", NatMode.EASY, NatMode.EASY, a, a2, "local", FEW_TRIALS);
    }

    @Test
    @Order(7)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("two hosts behind hard NATs cannot punch: both say they need a relay, neither connects")
    void twoHardNatsNeedARelay()
    {
        assertTrue(node.isAlive(), "the introducer node is still up: " + node.log());
        final String pair = "hard↔hard";
        final LabPeer one = LabPeer.a("hard");
        final LabPeer two = LabPeer.b("hard");
        lab.setNat("a", NatMode.HARD);
        lab.setNat("b", NatMode.HARD);
        final List<String> args =
            PairTrials.peerArgs(PairTrials.swarmName(pair, 1), MESSAGES, RELAY_PEER_TIMEOUT_S);
        final List<CliRun> runs = IntroducerCli.runTogether(lab, RUN_LIMIT, List.of(
            new IntroducerCli.Invocation(one.host(), args), new IntroducerCli.Invocation(two.host(), args)));
        for (int i = 0; i < runs.size(); i++)
        {
            final LabPeer side = 0 == i ? one : two;
            final CliRun run = runs.get(i);
            final boolean needsRelay = !run.events("needs-relay").isEmpty();
            results.recordOutcome(pair, side.label(), needsRelay ? "needs-relay" : "no needs-relay");
            final String context = side.label() + ": " + run.describe();
            // without a relay the peer gives up at its --timeout (exit 1): only how it ends is not asserted
            assertFalse(run.result().timedOut(), "the peer ends by itself at its --timeout: " + context);
            side.assertNatEvent(run);
            assertTrue(needsRelay, "a 'needs-relay' event: " + context);
            assertTrue(run.events("connected").isEmpty(), "no 'connected' event: " + context);
        }
    }

    /**
     * Runs {@code trials} trials of one pair; a trial fails if either side does not connect as specified. Stops
     * early after {@value #MAX_FAILED_TRIALS} failed trials and then fails with their reasons.
     */
    private void runPair(
        final String pair,
        final NatMode natA,
        final NatMode natB,
        final LabPeer one,
        final LabPeer two,
        final String expectedPath,
        final int trials)
    {
        final PairTrials.Outcome outcome = new PairTrials(lab, results, () -> List.of(node))
            .run(new PairTrials.Pair(pair, natA, natB, one, two, expectedPath), pair, trials, PLAN);
        if (!outcome.passed())
        {
            fail(pair + ": " + outcome.failures().size() + " of " + outcome.ran() + " trials failed (node "
                + node.logFile() + ")" + System.lineSeparator() + String.join(System.lineSeparator(), outcome.failures()));
        }
    }
}
