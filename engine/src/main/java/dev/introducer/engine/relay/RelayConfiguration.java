package dev.introducer.engine.relay;

import java.util.concurrent.TimeUnit;

import dev.introducer.protocol.Endpoint;

/**
 * The relay's settings, {@code *_DEFAULT} constants in Aeron's style. Times are nanoseconds.
 */
public final class RelayConfiguration
{
    /** A session without traffic or refresh for this long is removed. */
    public static final long IDLE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(60);
    /** Sessions held at most. */
    public static final int MAX_SESSIONS_DEFAULT = 1 << 20;
    /** Datagrams per second one session may forward (both directions together). */
    public static final int SESSION_PACKET_RATE_DEFAULT = 50_000;
    /** Bytes per second one session may forward (both directions together). */
    public static final long SESSION_BYTE_RATE_DEFAULT = 50L * 1024 * 1024;
    /** Bind attempts per second one source address may make. */
    public static final int BIND_RATE_PER_SOURCE_DEFAULT = 20;
    /** How often the housekeeping runs (expiry, rate windows). */
    public static final long TICK_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private Endpoint publicEndpoint;
    private byte[] secret;
    private long idleTimeoutNs = IDLE_TIMEOUT_DEFAULT_NS;
    private int maxSessions = MAX_SESSIONS_DEFAULT;
    private int sessionPacketRate = SESSION_PACKET_RATE_DEFAULT;
    private long sessionByteRate = SESSION_BYTE_RATE_DEFAULT;
    private int bindRatePerSource = BIND_RATE_PER_SOURCE_DEFAULT;
    private long tickNs = TICK_DEFAULT_NS;

    /**
     * Checks the settings.
     *
     * @return this.
     * @throws IllegalArgumentException with a one-line reason.
     */
    public RelayConfiguration conclude()
    {
        if (null == publicEndpoint || publicEndpoint.isNone() || publicEndpoint.port() == 0)
        {
            throw new IllegalArgumentException("the relay needs its public endpoint (what tokens are signed for)");
        }
        if (null == secret || secret.length < 16)
        {
            throw new IllegalArgumentException("the relay secret must be at least 16 bytes");
        }
        return this;
    }

    /**
     * The endpoint peers reach this relay at; tokens must name it.
     *
     * @param endpoint the public endpoint.
     * @return this.
     */
    public RelayConfiguration publicEndpoint(final Endpoint endpoint)
    {
        this.publicEndpoint = endpoint.copy();
        return this;
    }

    /**
     * The public endpoint.
     *
     * @return the endpoint.
     */
    public Endpoint publicEndpoint()
    {
        return publicEndpoint;
    }

    /**
     * The fleet secret that tokens are signed with.
     *
     * @param secret at least 16 bytes.
     * @return this.
     */
    public RelayConfiguration secret(final byte[] secret)
    {
        this.secret = secret.clone();
        return this;
    }

    /**
     * The fleet secret.
     *
     * @return a copy.
     */
    public byte[] secret()
    {
        return secret.clone();
    }

    /**
     * Idle timeout of a session.
     *
     * @param timeoutNs nanoseconds.
     * @return this.
     */
    public RelayConfiguration idleTimeoutNs(final long timeoutNs)
    {
        this.idleTimeoutNs = timeoutNs;
        return this;
    }

    /**
     * Idle timeout of a session.
     *
     * @return nanoseconds.
     */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /**
     * Sessions held at most.
     *
     * @param max count.
     * @return this.
     */
    public RelayConfiguration maxSessions(final int max)
    {
        this.maxSessions = max;
        return this;
    }

    /**
     * Sessions held at most.
     *
     * @return count.
     */
    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * Per-session quotas.
     *
     * @param packetsPerSecond datagrams per second.
     * @param bytesPerSecond   bytes per second.
     * @return this.
     */
    public RelayConfiguration sessionQuota(final int packetsPerSecond, final long bytesPerSecond)
    {
        this.sessionPacketRate = packetsPerSecond;
        this.sessionByteRate = bytesPerSecond;
        return this;
    }

    /**
     * Per-session packet quota.
     *
     * @return datagrams per second.
     */
    public int sessionPacketRate()
    {
        return sessionPacketRate;
    }

    /**
     * Per-session byte quota.
     *
     * @return bytes per second.
     */
    public long sessionByteRate()
    {
        return sessionByteRate;
    }

    /**
     * Bind attempts per second per source address.
     *
     * @param rate attempts per second.
     * @return this.
     */
    public RelayConfiguration bindRatePerSource(final int rate)
    {
        this.bindRatePerSource = rate;
        return this;
    }

    /**
     * Bind attempts per second per source address.
     *
     * @return attempts per second.
     */
    public int bindRatePerSource()
    {
        return bindRatePerSource;
    }

    /**
     * Housekeeping interval.
     *
     * @return nanoseconds.
     */
    public long tickNs()
    {
        return tickNs;
    }
}
