package dev.introducer.tools.lab;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one trial loop of the pair tests: two {@code introducer peer} processes, one per side, join a fresh swarm at
 * once, must connect on the expected path and receive every one of the other's messages; each side's
 * {@code connected} event goes into a {@link ConnectResults} row, so the table shows half-failed trials too.
 * <p>
 * Every trial starts by re-applying both routers' NAT modes, which flushes their conntrack: each trial is a first
 * contact.
 */
final class PairTrials
{
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BIND = "0.0.0.0:" + IntroducerCli.PORT;
    /** The harness kills a peer only well after its own --timeout. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(25);

    private final NetLab lab;
    private final ConnectResults results;
    private final Supplier<List<NetLab.Background>> nodes;

    /**
     * @param lab     the lab.
     * @param results where each side's connect results go.
     * @param nodes   the introducer nodes the trials need: a trial starts only while they all run.
     */
    PairTrials(final NetLab lab, final ConnectResults results, final Supplier<List<NetLab.Background>> nodes)
    {
        this.lab = lab;
        this.results = results;
        this.nodes = nodes;
    }

    /**
     * A pair of NAT types and what its peers must achieve.
     *
     * @param name         e.g. {@code "easy↔hard"}.
     * @param natA         router A's mode.
     * @param natB         router B's mode.
     * @param one          the first side.
     * @param two          the second side.
     * @param expectedPath {@code "direct"}, {@code "local"} or {@code "relay"}.
     */
    record Pair(String name, NatMode natA, NatMode natB, LabPeer one, LabPeer two, String expectedPath)
    {
    }

    /**
     * How every trial of a run goes.
     *
     * @param messages     messages each way, every one of which must arrive.
     * @param peerTimeoutS the peers' own --timeout.
     * @param lingerS      the peers' --linger: how long a side that has everything keeps re-sending its batch (once
     *                     a second), so that under loss the other side can still complete after it.
     * @param maxFailed    failed trials after which the run stops early.
     */
    record Plan(int messages, int peerTimeoutS, int lingerS, int maxFailed)
    {
    }

    /**
     * Runs {@code trials} trials of one pair, its rows named {@code row}; stops early after {@link Plan#maxFailed}
     * failed trials.
     *
     * @param pair   the pair.
     * @param row    the pair's name in the results table (the pair's name plus, say, the impairment).
     * @param trials how many trials.
     * @param plan   messages, timeout, early stop.
     * @return how many trials ran and why the failed ones failed.
     */
    Outcome run(final Pair pair, final String row, final int trials, final Plan plan)
    {
        final List<String> failures = new ArrayList<>();
        int run = 0;
        while (run < trials && failures.size() < plan.maxFailed())
        {
            run++;
            try
            {
                trial(pair, row, run, plan);
            }
            catch (final AssertionError ex)
            {
                failures.add("trial " + run + ": " + ex.getMessage());
            }
        }
        return new Outcome(run, List.copyOf(failures));
    }

    /**
     * What a run of trials gave.
     *
     * @param ran      trials run (fewer than asked if it stopped early).
     * @param failures one reason per failed trial, {@code "trial N: ..."}; empty if every trial passed.
     */
    record Outcome(int ran, List<String> failures)
    {
        /**
         * @return whether every trial ran and passed.
         */
        boolean passed()
        {
            return failures.isEmpty();
        }
    }

    private void trial(final Pair pair, final String row, final int trial, final Plan plan)
    {
        for (final NetLab.Background node : nodes.get())
        {
            assertTrue(node.isAlive(), "the introducer node is still up: " + node.log());
        }
        lab.setNat("a", pair.natA());
        lab.setNat("b", pair.natB());
        final List<String> args = new ArrayList<>(
            peerArgs(swarmName(pair.name(), trial), plan.messages(), plan.peerTimeoutS()));
        args.addAll(List.of("--linger", Integer.toString(plan.lingerS())));
        final List<CliRun> runs = IntroducerCli.runTogether(lab,
            Duration.ofSeconds(plan.peerTimeoutS()).plus(KILL_GRACE), List.of(
                new IntroducerCli.Invocation(pair.one().host(), args),
                new IntroducerCli.Invocation(pair.two().host(), args)));
        final List<LabPeer> sides = List.of(pair.one(), pair.two());
        for (int i = 0; i < runs.size(); i++)
        {
            record(row, sides.get(i), runs.get(i));
        }
        LabPeer.assertBothConnected(sides, runs, pair.expectedPath(), plan.messages());
    }

    private void record(final String row, final LabPeer side, final CliRun run)
    {
        final Map<Object, Integer> failedAttempts = new HashMap<>();
        boolean connected = false;
        for (final Map<String, Object> event : run.events())
        {
            if ("connect-failed".equals(event.get("event")))
            {
                failedAttempts.merge(event.get("peer"), 1, Integer::sum);
            }
            else if ("connected".equals(event.get("event")))
            {
                connected = true;
                final Integer failed = failedAttempts.remove(event.get("peer"));
                results.recordConnected(row, side.label(), event, null == failed ? 0 : failed);
            }
        }
        if (!connected)
        {
            results.recordOutcome(row, side.label(), run.events("needs-relay").isEmpty()
                ? "not connected" : "needs-relay");
        }
    }

    /**
     * @param swarm         the swarm.
     * @param messages      --messages.
     * @param timeoutSeconds --timeout.
     * @return the arguments of a peer that joins {@code swarm} through both introducers and sends one round.
     */
    static List<String> peerArgs(final String swarm, final int messages, final int timeoutSeconds)
    {
        return IntroducerCli.peerArgs(swarm, "--bind", BIND, "--messages", Integer.toString(messages),
            "--timeout", Integer.toString(timeoutSeconds));
    }

    /**
     * @param name  what the swarm is for, e.g. a pair's name.
     * @param trial the trial's number.
     * @return a swarm name no other trial uses.
     */
    static String swarmName(final String name, final int trial)
    {
        final byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        final String slug = name.replace("↔", "-").replaceAll("[^A-Za-z0-9-]", "");
        return "trial-" + slug + "-" + trial + "-" + HexFormat.of().formatHex(nonce);
    }
}
