package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A NAT that remaps mid-session (issue 11): a pair connects and completes a round of messages, goes idle, and
 * router A flushes its conntrack and starts mapping to new random ports (its mode becomes {@code hard}, fully
 * random), so a's public port changes under the pair. Nobody tells the peers; the old mappings are simply gone, and
 * with address+port-dependent filtering on both routers, a's datagrams from its new ports reach only those it
 * sends to first: the introducers (keepalive) and relays.
 * <p>
 * The peers keep alive every {@value #KEEPALIVE_S} s and stay idle {@value #IDLE_S} s, longer than one keepalive
 * plus the 3 s target: by the time round 2 starts, the pair should have re-discovered, re-punched or moved
 * to a relay. Round 2 must then be complete within {@value #ROUND_2_LIMIT_MS} ms of its start, on every side.
 * Both nodes offer a relay (the documented deployment). The control case flushes router A without changing its
 * mode (easy keeps the port): the old path survives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("a pair recovers when its NAT remaps mid-session")
class LabRebindingTest
{
    private static final int MESSAGES = 20;
    private static final int KEEPALIVE_S = 2;
    private static final int IDLE_S = 8;
    private static final long ROUND_2_LIMIT_MS = 3_000;
    private static final int PEER_TIMEOUT_S = 45;
    private static final Duration ROUND_1_LIMIT = Duration.ofSeconds(25);

    /**
     * One remapping case.
     *
     * @param name   for the test and the table.
     * @param before router A's and B's modes while the pair connects.
     * @param natB   router B's mode throughout.
     * @param after  router A's mode after the remap (applying it flushes A's conntrack).
     * @param one    host a's side.
     * @param two    host b's side.
     */
    private record Case(String name, NatMode before, NatMode natB, NatMode after, LabPeer one, LabPeer two)
    {
    }

    private static final List<Case> CASES = List.of(
        new Case("easy↔easy, flush only (same port)", NatMode.EASY, NatMode.EASY, NatMode.EASY,
            LabPeer.a("easy"), LabPeer.b("easy")),
        new Case("easy↔easy, a remaps (becomes hard)", NatMode.EASY, NatMode.EASY, NatMode.HARD,
            LabPeer.a("easy"), LabPeer.b("easy")),
        new Case("hard↔easy, a remaps (new random ports)", NatMode.HARD, NatMode.EASY, NatMode.HARD,
            LabPeer.a("hard"), LabPeer.b("easy")),
        new Case("easy↔hard, a remaps (becomes hard: relay)", NatMode.EASY, NatMode.HARD, NatMode.HARD,
            LabPeer.a("easy"), LabPeer.b("hard")));

    private final MarkdownTable table =
        new MarkdownTable("case", "trial", "round 2 a ms", "round 2 b ms", "paths", "lost", "result");
    private NetLab lab;
    private Path logs;
    private List<NetLab.Background> nodes = List.of();

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void startLabAndRelayNodes() throws IOException
    {
        LabSupport.assumeLab();
        lab = NetLab.start("rebind", NatMode.EASY, NatMode.EASY);
        logs = Files.createDirectories(NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
        nodes = LabRelays.startRelayNodes(lab, logs, LabRelays.writeSecret(logs));
    }

    @AfterAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void printTableAndTearDownLab()
    {
        try
        {
            final String text = "# NAT lab: rebinding mid-session" + System.lineSeparator() + System.lineSeparator()
                + table.render();
            System.out.println(text);
            LabSupport.shout(text);
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
    @DisplayName("remap case × trial")
    Stream<DynamicTest> round2ArrivesAfterARemap()
    {
        final int trials = "full".equals(System.getProperty(LabImpairedMatrixTest.PLAN_PROPERTY)) ? 5 : 1;
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Case remap : CASES)
        {
            for (int trial = 1; trial <= trials; trial++)
            {
                final int number = trial;
                tests.add(DynamicTest.dynamicTest(remap.name() + " · trial " + number, () -> trial(remap, number)));
            }
        }
        return tests.stream();
    }

    private void trial(final Case remap, final int trial)
    {
        for (final NetLab.Background node : nodes)
        {
            if (!node.isAlive())
            {
                fail("the introducer node is still up: " + node.log());
            }
        }
        lab.setNat("a", remap.before());
        lab.setNat("b", remap.natB());
        final List<String> args = new ArrayList<>(PairTrials.peerArgs(
            PairTrials.swarmName("rebind-" + remap.name(), trial), MESSAGES, PEER_TIMEOUT_S));
        args.addAll(List.of("--keepalive", Integer.toString(KEEPALIVE_S), "--idle", Integer.toString(IDLE_S),
            "--linger", "3"));
        final String slug = PairTrials.swarmName(remap.name(), trial);
        final List<NetLab.Background> peers = List.of(
            lab.startBackground("a", logs.resolve(slug + "-a.log"), IntroducerCli.command(args)),
            lab.startBackground("b", logs.resolve(slug + "-b.log"), IntroducerCli.command(args)));
        final PeerWatch watch = new PeerWatch(peers);
        try
        {
            final long[] round1 = watch.await(PeerWatch.ROUND_1_COMPLETE, ROUND_1_LIMIT);
            for (final long seen : round1)
            {
                if (Long.MIN_VALUE == seen)
                {
                    fail("round 1 (before any remap) completed on both sides: " + watch.describe());
                }
            }
            final long remapNs = System.nanoTime();
            lab.setNat("a", remap.after());
            final long remappedNs = System.nanoTime();
            final long[] started = watch.await(PeerWatch.ROUND_2_STARTED, Duration.ofSeconds(IDLE_S + 5));
            final long[] complete = watch.await(PeerWatch.ROUND_2_COMPLETE, Duration.ofSeconds(PEER_TIMEOUT_S));
            watch.awaitExit(Duration.ofSeconds(10));
            final double[] round2Ms = {PeerWatch.millis(started[0], complete[0]),
                PeerWatch.millis(started[1], complete[1])};
            final List<String> paths = new ArrayList<>();
            int lost = 0;
            for (int i = 0; i < 2; i++)
            {
                for (final Map<String, Object> connected : watch.events(i, "connected"))
                {
                    paths.add(peers.get(i).host() + ":" + connected.get("path") + "/" + connected.get("strategy"));
                }
                lost += watch.events(i, "lost").size();
            }
            final boolean inTime = round2Ms[0] <= ROUND_2_LIMIT_MS && round2Ms[1] <= ROUND_2_LIMIT_MS;
            final boolean remapInIdle = started[0] > remappedNs && started[1] > remappedNs;
            table.row(remap.name(), Integer.toString(trial), format(round2Ms[0]), format(round2Ms[1]),
                String.join(" ", paths), Integer.toString(lost), inTime ? "ok" : "FAILED");
            if (!remapInIdle)
            {
                fail("the harness remapped router A (" + PeerWatch.millis(remapNs, remappedNs)
                    + " ms) while both peers were idle: " + watch.describe());
            }
            if (!inTime)
            {
                fail(remap.name() + ": round 2 complete within " + ROUND_2_LIMIT_MS + " ms of its start on both "
                    + "sides after router A remapped " + IDLE_S + " s before; took a " + format(round2Ms[0])
                    + " ms, b " + format(round2Ms[1]) + " ms (paths " + paths + ", lost events " + lost + ")"
                    + watch.describe());
            }
        }
        finally
        {
            peers.forEach(NetLab.Background::stop);
        }
    }

    private static String format(final double millis)
    {
        return Double.isInfinite(millis) ? "never" : Long.toString(Math.round(millis));
    }
}
