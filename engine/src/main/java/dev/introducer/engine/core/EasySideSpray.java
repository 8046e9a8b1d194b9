package dev.introducer.engine.core;

import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;

/**
 * The easy side of easy ↔ hard: probes distinct ports of the hard side's public address from the main socket,
 * paced at a rate, until one of them hits a port that the hard side's pool has mapped towards us.
 * <p>
 * The ports come from a random affine permutation of {@code [low, 65535]} ({@code port = low + (a·i + b) mod M}
 * with {@code gcd(a, M) = 1}): every probe goes to a new port, in an order no observer can guess, with no bitmap.
 * Against a NAT that picks ports uniformly the order does not change the odds; against one that does not, a
 * random order avoids systematic misses.
 */
final class EasySideSpray extends ConnectAttempt
{
    private final FrameWriter writer;
    private final EngineCounters counters;
    private final IntSupplier rate;
    private final Endpoint probeTarget;
    private final long tickNs;
    private final int maxProbes;
    private final int portLow;
    private final int portCount;
    private final long multiplier;
    private final long increment;
    private long nextTickNs;

    EasySideSpray(
        final Peer peer, final long token, final long startNs, final long deadlineNs, final Endpoint hardPublic,
        final FrameWriter writer, final EngineCounters counters, final EngineConfiguration configuration,
        final RandomGenerator random, final IntSupplier rate)
    {
        super(peer, Strategy.SPRAY_EASY_SIDE, token, startNs, deadlineNs);
        this.writer = writer;
        this.counters = counters;
        this.rate = rate;
        this.probeTarget = hardPublic.copy();
        this.tickNs = configuration.sprayTickNs();
        this.portLow = configuration.sprayPortLow();
        this.portCount = 65536 - portLow;
        this.maxProbes = Math.min(configuration.sprayMaxProbes(), portCount);
        this.multiplier = coprimeMultiplier(random, portCount);
        this.increment = random.nextInt(portCount);
        this.nextTickNs = startNs;
    }

    private static long coprimeMultiplier(final RandomGenerator random, final int modulus)
    {
        while (true)
        {
            final long candidate = 1 + random.nextInt(modulus - 1);
            if (gcd(candidate, modulus) == 1)
            {
                return candidate;
            }
        }
    }

    private static long gcd(final long a, final long b)
    {
        long x = a;
        long y = b;
        while (y != 0)
        {
            final long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    /**
     * The port of probe {@code i}: distinct for every i below the port count.
     */
    int portOf(final int i)
    {
        return portLow + (int)((multiplier * i + increment) % portCount);
    }

    long onTimer(final long nowNs)
    {
        if (isConnected() || probes >= maxProbes)
        {
            return NO_DEADLINE;
        }
        if (nowNs < nextTickNs)
        {
            return nextTickNs;
        }
        final long elapsedNs = nowNs - startNs;
        final long due = Math.min(maxProbes, 1 + elapsedNs * rate.getAsInt() / 1_000_000_000L);
        while (probes < due)
        {
            probeTarget.port(portOf(probes));
            writer.ping(Transport.MAIN_SOCKET, probeTarget, token(), nowNs);
            probes++;
            counters.increment(EngineCounters.Type.SPRAY_PROBES_SENT);
        }
        nextTickNs = nowNs + tickNs;
        return probes >= maxProbes ? NO_DEADLINE : nextTickNs;
    }

    void close()
    {
    }
}
