package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A swarm behind one NAT (issue 11): {@value #BEHIND_ONE_NAT} peers on host a behind router A (easy), each its own
 * process on its own port, and one peer on b behind router B (hard), all in one swarm. Every pair must connect:
 * the {@value #BEHIND_ONE_NAT} × {@value #BEHIND_ONE_NAT_MINUS_ONE} / 2 same-NAT pairs on {@code local}, each a
 * peer ↔ b pair {@code direct} (the easy↔hard spray), and every message of the round must arrive.
 */
@DisplayName("a swarm of many peers behind one NAT connects every pair")
class LabManyPeersTest
{
    private static final int BEHIND_ONE_NAT = 16;
    private static final int BEHIND_ONE_NAT_MINUS_ONE = BEHIND_ONE_NAT - 1;
    private static final int MESSAGES = 10;
    private static final int PEER_TIMEOUT_S = 60;
    private static final Pattern OWN_ID = Pattern.compile("introducer: peer ([0-9a-f]{8}) on ");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("16 peers behind one easy NAT and one behind a hard NAT: every pair connected, same-NAT pairs local")
    void everyPairOfTheSwarmConnects() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("many", NatMode.EASY, NatMode.HARD, null, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            IntroducerCli.startNode(lab, logs.resolve("node.log"), Duration.ofSeconds(30));
            final String swarm = PairTrials.swarmName("many", 1);
            final List<IntroducerCli.Invocation> invocations = new ArrayList<>();
            for (int i = 0; i < BEHIND_ONE_NAT; i++)
            {
                invocations.add(new IntroducerCli.Invocation("a", args(swarm, IntroducerCli.PORT + i)));
            }
            invocations.add(new IntroducerCli.Invocation("b", args(swarm, IntroducerCli.PORT)));
            final List<CliRun> runs = IntroducerCli.runTogether(lab, Duration.ofSeconds(PEER_TIMEOUT_S + 40),
                invocations);

            final List<String> ids = new ArrayList<>();
            for (final CliRun run : runs)
            {
                final Matcher matcher = OWN_ID.matcher(run.result().stderr());
                ids.add(matcher.find() ? matcher.group(1) : "?" + ids.size());
            }
            // (i, j) with i < j, by the path i reported for j
            final Map<List<Integer>, String> pathByPair = new HashMap<>();
            final List<String> failedRuns = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++)
            {
                final CliRun run = runs.get(i);
                for (final Map<String, Object> connected : run.events("connected"))
                {
                    final int j = indexOf(ids, String.valueOf(connected.get("peer")));
                    if (j >= 0)
                    {
                        pathByPair.merge(List.of(Math.min(i, j), Math.max(i, j)),
                            i + ":" + connected.get("path"), (one, two) -> one + "," + two);
                    }
                }
                if (0 != run.result().exitCode())
                {
                    failedRuns.add(i + " (" + run.host() + " " + ids.get(i) + "): exit " + run.result().exitCode()
                        + ", " + run.events("connected").size() + " connected, "
                        + run.events("connect-failed").size() + " connect-failed, summary " + run.last("summary"));
                }
            }
            final int hard = BEHIND_ONE_NAT;
            int sameNatLocal = 0;
            int withHardDirect = 0;
            final Set<String> otherOutcomes = new HashSet<>();
            for (int i = 0; i < BEHIND_ONE_NAT; i++)
            {
                for (int j = i + 1; j <= hard; j++)
                {
                    final String expected = hard == j ? "direct" : "local";
                    final String seen = pathByPair.getOrDefault(List.of(i, j), "");
                    final boolean bothSides = seen.equals(i + ":" + expected + "," + j + ":" + expected)
                        || seen.equals(j + ":" + expected + "," + i + ":" + expected);
                    if (bothSides && hard == j)
                    {
                        withHardDirect++;
                    }
                    else if (bothSides)
                    {
                        sameNatLocal++;
                    }
                    else
                    {
                        otherOutcomes.add(i + "↔" + j + " [" + seen + "]");
                    }
                }
            }
            final int sameNatPairs = BEHIND_ONE_NAT * BEHIND_ONE_NAT_MINUS_ONE / 2;
            final String result = sameNatLocal + " of " + sameNatPairs + " same-NAT pairs connected local on both"
                + " sides, " + withHardDirect + " of " + BEHIND_ONE_NAT + " pairs with the hard-NAT peer direct";
            System.out.println("many peers behind one NAT: " + result);
            if (sameNatLocal != sameNatPairs || withHardDirect != BEHIND_ONE_NAT || !failedRuns.isEmpty())
            {
                fail(result + "; pairs not connected on their path on both sides (i:path as i reported it): "
                    + otherOutcomes.stream().sorted().toList() + System.lineSeparator() + "runs that failed:"
                    + System.lineSeparator() + String.join(System.lineSeparator(), failedRuns)
                    + System.lineSeparator() + "(logs " + logs + "; first failed run: "
                    + runs.stream().filter((run) -> 0 != run.result().exitCode()).findFirst()
                        .map(CliRun::describe).orElse("none") + ")");
            }
        }
    }

    private static List<String> args(final String swarm, final int port)
    {
        return IntroducerCli.peerArgs(swarm, "--bind", "0.0.0.0:" + port, "--expect-peers",
            Integer.toString(BEHIND_ONE_NAT), "--messages", Integer.toString(MESSAGES),
            "--timeout", Integer.toString(PEER_TIMEOUT_S), "--linger", "3", "--journal", "none");
    }

    private static int indexOf(final List<String> ids, final String peerHex)
    {
        for (int i = 0; i < ids.size(); i++)
        {
            if (peerHex.startsWith(ids.get(i)))
            {
                return i;
            }
        }
        return -1;
    }
}
