package dev.introducer.engine.core;

import java.util.concurrent.TimeUnit;

/**
 * The NAT discovery part of an {@link EngineConfiguration}: how often a run resends its pings and probes, how many
 * filtering probes it sends once the mapping is known, and when it gives up. Times are nanoseconds.
 */
public final class DiscoveryConfiguration
{
    /** NAT discovery resends its pings and probes this often until it has an answer. */
    public static final long DISCOVERY_RETRY_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(150);
    /** Probe (open filtering) attempts after the mapping is known, before deciding there is no open filtering. */
    public static final int DISCOVERY_PROBE_ATTEMPTS_DEFAULT = 3;
    /** Give up one discovery run after this long; it is retried at the next keepalive. */
    public static final long DISCOVERY_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);

    private long discoveryRetryNs = DISCOVERY_RETRY_DEFAULT_NS;
    private int discoveryProbeAttempts = DISCOVERY_PROBE_ATTEMPTS_DEFAULT;
    private long discoveryTimeoutNs = DISCOVERY_TIMEOUT_DEFAULT_NS;

    DiscoveryConfiguration()
    {
    }

    /**
     * Discovery resend interval.
     *
     * @param discoveryRetryNs nanoseconds.
     * @return this.
     */
    public DiscoveryConfiguration discoveryRetryNs(final long discoveryRetryNs)
    {
        this.discoveryRetryNs = discoveryRetryNs;
        return this;
    }

    /**
     * Discovery resend interval.
     *
     * @return nanoseconds.
     */
    public long discoveryRetryNs()
    {
        return discoveryRetryNs;
    }

    /**
     * Open-filtering probes sent before deciding the filtering is not open.
     *
     * @param attempts count.
     * @return this.
     */
    public DiscoveryConfiguration discoveryProbeAttempts(final int attempts)
    {
        this.discoveryProbeAttempts = attempts;
        return this;
    }

    /**
     * Open-filtering probes sent before deciding.
     *
     * @return count.
     */
    public int discoveryProbeAttempts()
    {
        return discoveryProbeAttempts;
    }

    /**
     * Time limit of one discovery run.
     *
     * @param discoveryTimeoutNs nanoseconds.
     * @return this.
     */
    public DiscoveryConfiguration discoveryTimeoutNs(final long discoveryTimeoutNs)
    {
        this.discoveryTimeoutNs = discoveryTimeoutNs;
        return this;
    }

    /**
     * Time limit of one discovery run.
     *
     * @return nanoseconds.
     */
    public long discoveryTimeoutNs()
    {
        return discoveryTimeoutNs;
    }
}
