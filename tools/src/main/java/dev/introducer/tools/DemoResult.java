package dev.introducer.tools;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.introducer.tools.lab.CliRun;
import dev.introducer.tools.lab.FlatJson;

/**
 * What one demo pair did, from the JSON events of its two peers: how each side classified its NAT, the path and
 * strategy of each side's {@code connected} event, the time to connect and the probes, and how many of the
 * sender's messages came back from the echoing side.
 *
 * @param demoCase the case.
 * @param natOne   the sending side's NAT as it classified it ({@code ?} if it never said).
 * @param natTwo   the echoing side's.
 * @param one      the sending side's {@code connected} event, if any.
 * @param two      the echoing side's, if any.
 * @param echoed   distinct messages the sender got back.
 * @param messages messages the sender sent (one batch).
 * @param problem  why the pair failed, or null when it connected and every message came back.
 */
record DemoResult(
    DemoCase demoCase,
    String natOne,
    String natTwo,
    Map<String, Object> one,
    Map<String, Object> two,
    long echoed,
    int messages,
    String problem)
{
    /**
     * Reads a pair's outcome.
     *
     * @param demoCase the case.
     * @param sender   the sending side's finished run ({@code peer --json}).
     * @param echoLog  the echoing side's log (its JSON lines among its progress lines).
     * @param messages the sender's {@code --messages}.
     * @param checkPath whether the path must be the case's expected one (not on loopback, where every pair is
     *                  static and may be direct or local).
     * @return the result.
     */
    static DemoResult of(
        final DemoCase demoCase,
        final CliRun sender,
        final String echoLog,
        final int messages,
        final boolean checkPath)
    {
        List<Map<String, Object>> senderEvents;
        String problem = null;
        try
        {
            senderEvents = sender.events();
        }
        catch (final AssertionError ex)
        {
            senderEvents = List.of();
            problem = "unreadable output: " + ex.getMessage();
        }
        final List<Map<String, Object>> echoEvents =
            FlatJson.parseObjectLines(echoLog.substring(0, echoLog.lastIndexOf('\n') + 1));
        final Optional<Map<String, Object>> summary = last(senderEvents, "summary");
        final long echoed = summary.map(s -> s.get("received")).filter(Long.class::isInstance)
            .map(Long.class::cast).orElse(0L);
        final Map<String, Object> one = first(senderEvents, "connected").orElse(null);
        final Map<String, Object> two = first(echoEvents, "connected").orElse(null);
        if (null == problem)
        {
            if (null == one)
            {
                problem = first(senderEvents, "connect-failed").map(e -> "connect failed: " + e.get("reason"))
                    .orElse(sender.result().timedOut() ? "killed at its time limit" : "did not connect");
            }
            else if (echoed < messages)
            {
                problem = "only " + echoed + " of " + messages + " messages came back";
            }
            else if (checkPath && !demoCase.expectedPath().equals(one.get("path")))
            {
                problem = "path " + one.get("path") + ", expected " + demoCase.expectedPath();
            }
        }
        return new DemoResult(demoCase, nat(senderEvents), nat(echoEvents), one, two, echoed, messages, problem);
    }

    /**
     * @return whether the pair connected on the expected path and every message came back.
     */
    boolean ok()
    {
        return null == problem;
    }

    private static String nat(final List<Map<String, Object>> events)
    {
        return first(events, "nat").map(e -> String.valueOf(e.get("nat"))).orElse("?");
    }

    private static Optional<Map<String, Object>> first(final List<Map<String, Object>> events, final String name)
    {
        return events.stream().filter(e -> name.equals(e.get("event"))).findFirst();
    }

    private static Optional<Map<String, Object>> last(final List<Map<String, Object>> events, final String name)
    {
        return events.stream().filter(e -> name.equals(e.get("event"))).reduce((a, b) -> b);
    }
}
