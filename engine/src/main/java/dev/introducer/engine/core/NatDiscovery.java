package dev.introducer.engine.core;

import java.util.List;
import java.util.random.RandomGenerator;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.ProbeFlyweight;

/**
 * NAT discovery against two or more introducers, as a state machine driven by timer calls and answers.
 * <ul>
 *     <li>Mapping: a ping to each introducer from the main socket; equal observed endpoints mean
 *     endpoint-independent mapping (easy), different ones endpoint-dependent (hard).</li>
 *     <li>Filtering: a probe asks each introducer to answer from another port; if an answer gets in although
 *     our NAT never sent to that port, filtering is open and the node is reachable without a punch (static).</li>
 *     <li>Every round resends what is unanswered (the seed sent its static probe once and could hang on one
 *     lost packet), and the run ends with the best answer it has by its time limit.</li>
 * </ul>
 */
final class NatDiscovery
{
    private final EngineConfiguration configuration;
    private final FrameWriter writer;
    private final RandomGenerator random;
    private final EngineCounters counters;
    private final List<Endpoint> introducers;
    private final Endpoint[] observed;
    private final Endpoint localEndpoint = new Endpoint();
    private boolean running;
    private long startNs;
    private long nextRoundNs;
    private int rounds;
    private int probeRoundsAfterMapping;
    private long probeNonce;
    private boolean probeAnswered;
    private NatReport report;
    private boolean reportChanged;
    private boolean finished;

    NatDiscovery(
        final EngineConfiguration configuration, final FrameWriter writer, final RandomGenerator random,
        final EngineCounters counters)
    {
        this.configuration = configuration;
        this.writer = writer;
        this.random = random;
        this.counters = counters;
        this.introducers = configuration.introducers();
        this.observed = new Endpoint[introducers.size()];
        for (int i = 0; i < observed.length; i++)
        {
            observed[i] = new Endpoint();
        }
        this.report = new NatReport(
            NatType.UNKNOWN, NatReport.Mapping.UNKNOWN, NatReport.Filtering.UNKNOWN, null, null, 0);
    }

    /**
     * Starts a new run; answers of an older run no longer count.
     */
    void start(final long nowNs, final Endpoint local)
    {
        running = true;
        startNs = nowNs;
        nextRoundNs = nowNs;
        rounds = 0;
        probeRoundsAfterMapping = 0;
        probeAnswered = false;
        probeNonce = random.nextLong() | 1;
        localEndpoint.set(local);
        for (final Endpoint endpoint : observed)
        {
            endpoint.clear();
        }
        counters.increment(EngineCounters.Type.DISCOVERY_RUNS);
    }

    boolean isRunning()
    {
        return running;
    }

    NatReport report()
    {
        return report;
    }

    /**
     * Whether a run finished since the last call, once per run.
     */
    boolean takeFinished()
    {
        final boolean result = finished;
        finished = false;
        return result;
    }

    /**
     * Whether a run finished with a result that differs from the one before, once.
     */
    boolean takeReportChanged()
    {
        final boolean changed = reportChanged;
        reportChanged = false;
        return changed;
    }

    /**
     * The endpoint introducer {@code index} observed in this run, none if it has not answered.
     */
    Endpoint observed(final int index)
    {
        return observed[index];
    }

    long onTimer(final long nowNs)
    {
        if (!running)
        {
            return ConnectAttempt.NO_DEADLINE;
        }
        if (nowNs < nextRoundNs)
        {
            return nextRoundNs;
        }
        if (evaluate(nowNs))
        {
            return ConnectAttempt.NO_DEADLINE;
        }
        for (int i = 0; i < introducers.size(); i++)
        {
            final Endpoint introducer = introducers.get(i);
            if (observed[i].isNone())
            {
                writer.ping(Transport.MAIN_SOCKET, introducer, 0, nowNs);
            }
            if (!probeAnswered)
            {
                writer.probe(Transport.MAIN_SOCKET, introducer, probeNonce, ProbeFlyweight.FROM_OTHER_PORT);
            }
        }
        rounds++;
        if (answered() >= Math.min(2, introducers.size()))
        {
            probeRoundsAfterMapping++;
        }
        nextRoundNs = nowNs + configuration.discovery().discoveryRetryNs();
        return nextRoundNs;
    }

    void onPong(final long nowNs, final int introducerIndex, final Endpoint observedEndpoint)
    {
        if (running && observed[introducerIndex].isNone())
        {
            observed[introducerIndex].set(observedEndpoint);
            evaluate(nowNs);
        }
    }

    void onProbeReply(final long nowNs, final long nonce, final int flags)
    {
        final int otherSocket = ProbeFlyweight.FROM_OTHER_PORT | ProbeFlyweight.FROM_OTHER_ADDRESS;
        if (running && nonce == probeNonce && (flags & otherSocket) != 0)
        {
            probeAnswered = true;
            evaluate(nowNs);
        }
    }

    private int answered()
    {
        int count = 0;
        for (final Endpoint endpoint : observed)
        {
            if (!endpoint.isNone())
            {
                count++;
            }
        }
        return count;
    }

    private Endpoint firstObserved()
    {
        for (final Endpoint endpoint : observed)
        {
            if (!endpoint.isNone())
            {
                return endpoint;
            }
        }
        return null;
    }

    private NatReport.Mapping mapping()
    {
        final Endpoint first = firstObserved();
        if (null == first || answered() < 2)
        {
            return NatReport.Mapping.UNKNOWN;
        }
        for (final Endpoint endpoint : observed)
        {
            if (!endpoint.isNone() && !endpoint.equals(first))
            {
                return NatReport.Mapping.ENDPOINT_DEPENDENT;
            }
        }
        return NatReport.Mapping.ENDPOINT_INDEPENDENT;
    }

    /**
     * Decides if it can.
     *
     * @return true when the run finished.
     */
    private boolean evaluate(final long nowNs)
    {
        final NatReport.Mapping mapping = mapping();
        final boolean timedOut = nowNs - startNs >= configuration.discovery().discoveryTimeoutNs();
        final boolean probesDone = probeRoundsAfterMapping >= configuration.discovery().discoveryProbeAttempts();
        final boolean singleIntroducer = introducers.size() == 1 && answered() == 1;

        if (mapping == NatReport.Mapping.ENDPOINT_DEPENDENT)
        {
            // A NAT that maps per destination needs a punch whatever its filtering does.
            return finish(NatType.HARD, mapping, probeAnswered ? NatReport.Filtering.OPEN :
                NatReport.Filtering.UNKNOWN);
        }
        if (probeAnswered && (mapping == NatReport.Mapping.ENDPOINT_INDEPENDENT || singleIntroducer || timedOut))
        {
            return finish(NatType.STATIC, mapping, NatReport.Filtering.OPEN);
        }
        if (mapping == NatReport.Mapping.ENDPOINT_INDEPENDENT && probesDone)
        {
            return finish(NatType.EASY, mapping, NatReport.Filtering.RESTRICTED);
        }
        if (singleIntroducer && probesDone)
        {
            // One introducer cannot tell easy from hard (the seed's rule too).
            return finish(NatType.UNKNOWN, mapping, NatReport.Filtering.RESTRICTED);
        }
        if (timedOut)
        {
            return finish(probeAnswered ? NatType.STATIC : NatType.UNKNOWN, mapping,
                probeAnswered ? NatReport.Filtering.OPEN : NatReport.Filtering.UNKNOWN);
        }
        return false;
    }

    private boolean finish(final NatType natType, final NatReport.Mapping mapping, final NatReport.Filtering filtering)
    {
        running = false;
        finished = true;
        final Endpoint first = firstObserved();
        final NatReport next = new NatReport(
            natType, mapping, filtering, null == first ? null : first.copy(), localEndpoint.copy(), answered());
        if (!sameResult(report, next))
        {
            reportChanged = true;
        }
        report = next;
        return true;
    }

    private static boolean sameResult(final NatReport a, final NatReport b)
    {
        return a.natType() == b.natType() && a.mapping() == b.mapping() && a.filtering() == b.filtering() &&
            java.util.Objects.equals(a.publicEndpoint(), b.publicEndpoint()) &&
            java.util.Objects.equals(a.localEndpoint(), b.localEndpoint());
    }
}
