package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Nodes that go away mid-session (issue 11): an introducer node restarted (a new process on the same addresses,
 * knowing nobody) is rejoined by its peers within one keepalive; a relay node killed while it carries a hard↔hard
 * pair: the pair moves to the other node's relay (or re-punches) while it is idle, so its next round arrives at
 * once.
 */
@DisplayName("peers survive an introducer restart and a relay crash")
class LabRestartTest
{
    private static final int KEEPALIVE_S = 2;
    private static final int RELAY_KEEPALIVE_S = 1;
    /** How long after a restarted node listens its peers' joins may come: one keepalive, plus the node's 100 ms
     * counter publication and this test's poll. */
    private static final long REJOIN_LIMIT_MS = TimeUnit.SECONDS.toMillis(KEEPALIVE_S) + 300;
    private static final int MESSAGES = 20;
    /** Longer than the 3 s to move off a dead relay, with a keepalive every second. */
    private static final int IDLE_S = 6;
    private static final long ROUND_2_LIMIT_MS = 3_000;
    private static final int PEER_TIMEOUT_S = 40;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("a restarted introducer node is rejoined within one keepalive and introduces a newcomer")
    void restartedIntroducerIsRejoinedWithinOneKeepalive() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("restart", NatMode.EASY, NatMode.EASY, null, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final NetLab.Background first =
                IntroducerCli.startNode(lab, logs.resolve("node.log"), Duration.ofSeconds(30));
            final String swarm = PairTrials.swarmName("restart", 1);
            final NetLab.Background resident = lab.startBackground("a", logs.resolve("resident-a.log"),
                IntroducerCli.command(IntroducerCli.peerArgs(swarm, "--bind", "0.0.0.0:" + IntroducerCli.PORT,
                    "--echo", "--keepalive", Integer.toString(KEEPALIVE_S), "--timeout", "60")));
            try
            {
                awaitCounter(first, LabCounters.JOINS_RECEIVED, Duration.ofSeconds(30),
                    "the resident peer joined the first node");
                first.kill();
                final NetLab.Background restarted =
                    IntroducerCli.startNode(lab, logs.resolve("node-restarted.log"), Duration.ofSeconds(30));
                final long listeningNs = System.nanoTime();
                final long rejoinedNs = awaitCounter(restarted, LabCounters.JOINS_RECEIVED,
                    Duration.ofSeconds(KEEPALIVE_S * 5L), "the resident peer rejoined the restarted node");
                final double rejoinMs = PeerWatch.millis(listeningNs, rejoinedNs);
                System.out.println("introducer restart: rejoined " + Math.round(rejoinMs) + " ms after listening");

                // what the rejoin is for: the restarted node introduces a newcomer to the resident peer
                final CliRun newcomer = new CliRun("b", lab.exec("b", Duration.ofSeconds(40), IntroducerCli.command(
                    PairTrials.peerArgs(swarm, MESSAGES, 20))));
                LabPeer.b("easy").assertConnected(newcomer, "direct", 1, MESSAGES);
                assertTrue(rejoinMs <= REJOIN_LIMIT_MS, "the resident peer rejoined the restarted node within "
                    + REJOIN_LIMIT_MS + " ms (one keepalive of " + KEEPALIVE_S + " s) of its start: "
                    + Math.round(rejoinMs) + " ms");
            }
            finally
            {
                resident.stop();
            }
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("a relayed pair whose relay node is killed moves on and its next round arrives within 3 s")
    void relayedPairSurvivesItsRelayNodeBeingKilled() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("relaykill", NatMode.HARD, NatMode.HARD, null, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final List<NetLab.Background> nodes = LabRelays.startRelayNodes(lab, logs, LabRelays.writeSecret(logs));
            final List<String> args = new ArrayList<>(PairTrials.peerArgs(
                PairTrials.swarmName("relaykill", 1), MESSAGES, PEER_TIMEOUT_S));
            args.addAll(List.of("--keepalive", Integer.toString(RELAY_KEEPALIVE_S),
                "--idle", Integer.toString(IDLE_S), "--linger", "3"));
            final List<NetLab.Background> peers = List.of(
                lab.startBackground("a", logs.resolve("peer-a.log"), IntroducerCli.command(args)),
                lab.startBackground("b", logs.resolve("peer-b.log"), IntroducerCli.command(args)));
            final PeerWatch watch = new PeerWatch(peers);
            try
            {
                final long[] round1 = watch.await(PeerWatch.ROUND_1_COMPLETE, Duration.ofSeconds(30));
                if (Long.MIN_VALUE == round1[0] || Long.MIN_VALUE == round1[1])
                {
                    fail("round 1 completed through a relay before any node was killed: " + watch.describe());
                }
                final List<Long> forwarded = forwardedPerNode(nodes, Duration.ofSeconds(5));
                final int carrying = forwarded.get(0) >= forwarded.get(1) ? 0 : 1;
                nodes.get(carrying).kill();
                final long killedNs = System.nanoTime();
                final long[] started = watch.await(PeerWatch.ROUND_2_STARTED, Duration.ofSeconds(IDLE_S + 5));
                final long[] complete = watch.await(PeerWatch.ROUND_2_COMPLETE, Duration.ofSeconds(PEER_TIMEOUT_S));
                watch.awaitExit(Duration.ofSeconds(10));
                final String outcome = "relay node " + (carrying + 1) + " (forwarded " + forwarded
                    + " by the two relays in round 1) killed; round 2 took a "
                    + Math.round(PeerWatch.millis(started[0], complete[0])) + " ms, b "
                    + Math.round(PeerWatch.millis(started[1], complete[1])) + " ms";
                System.out.println("relay kill: " + outcome);
                assertTrue(started[0] > killedNs && started[1] > killedNs,
                    "the node was killed while both peers were idle: " + watch.describe());
                for (int i = 0; i < 2; i++)
                {
                    assertTrue(PeerWatch.millis(started[i], complete[i]) <= ROUND_2_LIMIT_MS,
                        "round 2 complete within " + ROUND_2_LIMIT_MS + " ms of its start on both sides, "
                            + IDLE_S + " s after the relay's node was killed: " + outcome
                            + "; connected events " + watch.events(0, "connected") + " / "
                            + watch.events(1, "connected") + watch.describe());
                }
            }
            finally
            {
                peers.forEach(NetLab.Background::stop);
            }
        }
    }

    /**
     * What each relay node forwarded so far, polled until one has forwarded something (the relay's counters reach
     * the counters file through the node's publisher, a little late).
     */
    private static List<Long> forwardedPerNode(final List<NetLab.Background> nodes, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final List<Long> forwarded = new ArrayList<>();
            for (final NetLab.Background node : nodes)
            {
                forwarded.add(LabCounters.read(LabCounters.fileOf(node)).getOrDefault(
                    LabCounters.RELAY_FORWARDED, 0L));
            }
            if (forwarded.stream().anyMatch((count) -> count > 0))
            {
                return forwarded;
            }
            if (System.nanoTime() - deadline > 0)
            {
                return fail("one of the relays forwarded round 1 (counters " + forwarded + "): cannot tell which "
                    + "relay to kill");
            }
            pause();
        }
    }

    /**
     * Polls a node's counters file until a counter is positive.
     *
     * @return the {@link System#nanoTime()} when it was first seen positive.
     */
    private static long awaitCounter(final NetLab.Background node, final String label, final Duration timeout,
        final String what)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            final Map<String, Long> counters = LabCounters.read(LabCounters.fileOf(node));
            if (counters.getOrDefault(label, 0L) > 0)
            {
                return System.nanoTime();
            }
            pause();
        }
        return fail(what + ": '" + label + "' of " + node.logFile() + " stayed 0 for " + timeout + ": "
            + LabCounters.read(LabCounters.fileOf(node)));
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(50);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", ex);
        }
    }
}
