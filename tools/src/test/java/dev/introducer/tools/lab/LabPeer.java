package dev.introducer.tools.lab;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One side of a peer trial: the lab host that runs {@code introducer peer}, and what its {@code nat} event must say
 * about it.
 *
 * @param host     the lab host, e.g. {@code "a"}.
 * @param nats     the classifications it may report (usually exactly one).
 * @param publicIp the public address the introducers must see.
 */
public record LabPeer(String host, Set<String> nats, String publicIp)
{
    /** The NAT strategies a {@code connected} event may name. */
    public static final Set<String> STRATEGIES = Set.of("direct", "spray-easy", "spray-hard", "local", "relay");

    private static final String HEX = "[0-9a-fA-F]+";

    /**
     * @param host     the lab host.
     * @param nats     the classifications it may report (copied).
     * @param publicIp the public address the introducers must see.
     */
    public LabPeer
    {
        nats = Set.copyOf(nats);
    }

    /** pub: a public host without NAT (198.18.0.20). */
    public static final LabPeer PUB = new LabPeer("pub", Set.of("static"), "198.18.0.20");

    /**
     * @param nat the classification host a (behind router A, 198.18.0.101) must report.
     * @return host a.
     */
    public static LabPeer a(final String nat)
    {
        return new LabPeer("a", Set.of(nat), "198.18.0.101");
    }

    /**
     * @param nat the classification host b (behind router B, 198.18.0.102) must report.
     * @return host b.
     */
    public static LabPeer b(final String nat)
    {
        return new LabPeer("b", Set.of(nat), "198.18.0.102");
    }

    /**
     * @return e.g. {@code "a (easy)"}, for the results table and messages.
     */
    public String label()
    {
        return host + " (" + String.join("|", nats.stream().sorted().toList()) + ")";
    }

    /**
     * Asserts that one {@code introducer peer --json} run succeeded as the specification promises: exit 0, its
     * {@code nat} event right for this host, a {@code connected} event per expected peer with the expected path,
     * no peer lost, and a summary with {@code ok:true}, the peers and at least the messages expected.
     *
     * @param run              the finished run.
     * @param expectedPath     {@code "direct"}, {@code "local"} or {@code "relay"}.
     * @param expectedPeers    the K of {@code --expect-peers}.
     * @param minimumReceived  how many messages it must have received in all.
     * @return its first {@code connected} event.
     */
    public Map<String, Object> assertConnected(
        final CliRun run,
        final String expectedPath,
        final int expectedPeers,
        final long minimumReceived)
    {
        final String context = label() + ": " + run.describe();
        assertFalse(run.result().timedOut(), "the peer ends by itself within its --timeout: " + context);
        assertEquals(0, run.result().exitCode(), "the peer exits 0 after exchanging its messages: " + context);
        assertNatEvent(run);

        final List<Map<String, Object>> connected = run.events("connected");
        assertEquals(expectedPeers, connected.size(), "one 'connected' event per peer: " + context);
        for (final Map<String, Object> event : connected)
        {
            assertEquals(expectedPath, event.get("path"), "the connection's path: " + context);
            assertTrue(STRATEGIES.contains(String.valueOf(event.get("strategy"))),
                "'strategy' is one of " + STRATEGIES + ": " + context);
            assertTrue(String.valueOf(event.get("peer")).matches(HEX), "'peer' is a hex id: " + context);
            assertInstanceOf(Number.class, event.get("ms"), "'ms' is a number: " + context);
            assertInstanceOf(Number.class, event.get("probes"), "'probes' is a number: " + context);
        }
        assertTrue(run.events("lost").isEmpty(), "no peer is lost: " + context);
        if (!"relay".equals(expectedPath))
        {
            assertTrue(run.events("needs-relay").isEmpty(), "no relay is asked for on a direct pair: " + context);
        }

        final Map<String, Object> summary = run.last("summary")
            .orElseThrow(() -> new AssertionError("a 'summary' event at the end: " + context));
        assertEquals(Boolean.TRUE, summary.get("ok"), "summary ok:true: " + context);
        assertEquals((long)expectedPeers, summary.get("connected"), "summary 'connected': " + context);
        assertInstanceOf(Long.class, summary.get("received"), "summary 'received' is a count: " + context);
        assertTrue((Long)summary.get("received") >= minimumReceived,
            "summary 'received' >= " + minimumReceived + ": " + context);
        return connected.get(0);
    }

    /**
     * {@link #assertConnected} for both sides of a pair; a failure shows the other side's output too.
     *
     * @param sides           the two sides.
     * @param runs            their runs, in the same order.
     * @param expectedPath    {@code "direct"}, {@code "local"} or {@code "relay"}.
     * @param minimumReceived how many messages each must have received.
     */
    public static void assertBothConnected(
        final List<LabPeer> sides,
        final List<CliRun> runs,
        final String expectedPath,
        final long minimumReceived)
    {
        for (int i = 0; i < 2; i++)
        {
            try
            {
                sides.get(i).assertConnected(runs.get(i), expectedPath, 1, minimumReceived);
            }
            catch (final AssertionError ex)
            {
                // without the cause: its message is the first line of this one
                throw new AssertionError(ex.getMessage() + System.lineSeparator() + "  the other side: "
                    + runs.get(1 - i).describe());
            }
        }
    }

    /**
     * Asserts that the run's first {@code nat} event classifies this host as expected, with its public address.
     *
     * @param run a finished {@code introducer peer --json} run.
     */
    public void assertNatEvent(final CliRun run)
    {
        final String context = label() + ": " + run.describe();
        final Map<String, Object> nat = run.first("nat")
            .orElseThrow(() -> new AssertionError("a 'nat' event: " + context));
        assertTrue(nats.contains(String.valueOf(nat.get("nat"))), "classified as one of " + nats + ": " + context);
        assertTrue(String.valueOf(nat.get("public")).startsWith(publicIp + ":"),
            "public address " + publicIp + ":PORT: " + context);
    }
}
