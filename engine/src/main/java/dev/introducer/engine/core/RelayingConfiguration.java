package dev.introducer.engine.core;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import dev.introducer.protocol.Endpoint;

/**
 * The relay part of an {@link EngineConfiguration}: the node relay an introducer offers (its endpoint and the
 * fleet's token secret), relay token lifetimes and bind retries, the upgrade from relay to direct, and relaying for
 * our own swarms (peer relay) with its quota. Defaults are {@code *_DEFAULT} constants, times are nanoseconds.
 */
public final class RelayingConfiguration
{
    /** How long a relay token stays valid for a first bind. */
    public static final long RELAY_TOKEN_TTL_DEFAULT_NS = TimeUnit.MINUTES.toNanos(2);
    /** A relay attempt sends its bind this often until both legs are bound. */
    public static final long RELAY_BIND_RETRY_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A relayed peer whose pair might punch asks for a new introduction this often, to move to a direct path. */
    public static final long RELAY_UPGRADE_INTERVAL_DEFAULT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Peer relay: datagrams per second one relayed session may pass through us (both directions together). */
    public static final int PEER_RELAY_PACKET_RATE_DEFAULT = 5_000;
    /** Peer relay: bytes per second one relayed session may pass through us (both directions together). */
    public static final long PEER_RELAY_BYTE_RATE_DEFAULT = 4L * 1024 * 1024;
    /** Peer relay: sessions we relay at most (two introducers offer two sessions per pair). */
    public static final int PEER_RELAY_MAX_SESSIONS_DEFAULT = 64;

    private Endpoint relayEndpoint;
    private byte[] relaySecret;
    private long relayTokenTtlNs = RELAY_TOKEN_TTL_DEFAULT_NS;
    private long relayBindRetryNs = RELAY_BIND_RETRY_DEFAULT_NS;
    private boolean peerRelay;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private long relayUpgradeIntervalNs = RELAY_UPGRADE_INTERVAL_DEFAULT_NS;
    private int peerRelayPacketRate = PEER_RELAY_PACKET_RATE_DEFAULT;
    private long peerRelayByteRate = PEER_RELAY_BYTE_RATE_DEFAULT;
    private int peerRelayMaxSessions = PEER_RELAY_MAX_SESSIONS_DEFAULT;

    RelayingConfiguration()
    {
    }

    void conclude()
    {
        if (null != relayEndpoint && (null == relaySecret || relaySecret.length < 16))
        {
            throw new IllegalArgumentException("a relay endpoint needs the fleet secret (at least 16 bytes)");
        }
        EngineConfiguration.requirePositive(peerRelayPacketRate, "peerRelayPacketRate");
        EngineConfiguration.requirePositive(peerRelayByteRate, "peerRelayByteRate");
        EngineConfiguration.requirePositive(peerRelayMaxSessions, "peerRelayMaxSessions");
    }

    /**
     * The relay an introducer offers to pairs that cannot punch, with the fleet secret that signs its tokens.
     *
     * @param endpoint the relay's public endpoint.
     * @param secret   the fleet's shared secret, at least 16 bytes.
     * @return this.
     */
    public RelayingConfiguration relay(final Endpoint endpoint, final byte[] secret)
    {
        this.relayEndpoint = null == endpoint ? null : endpoint.copy();
        this.relaySecret = null == secret ? null : secret.clone();
        return this;
    }

    /**
     * The relay offered to pairs that cannot punch.
     *
     * @return the endpoint, or null when this node offers none.
     */
    public Endpoint relayEndpoint()
    {
        return relayEndpoint;
    }

    /**
     * The fleet secret.
     *
     * @return a copy, or null.
     */
    public byte[] relaySecret()
    {
        return null == relaySecret ? null : relaySecret.clone();
    }

    /**
     * Validity of a relay token for a first bind.
     *
     * @return nanoseconds.
     */
    public long relayTokenTtlNs()
    {
        return relayTokenTtlNs;
    }

    /**
     * Validity of a relay token for a first bind.
     *
     * @param ttlNs nanoseconds.
     * @return this.
     */
    public RelayingConfiguration relayTokenTtlNs(final long ttlNs)
    {
        this.relayTokenTtlNs = ttlNs;
        return this;
    }

    /**
     * Bind retry interval of a relay attempt.
     *
     * @return nanoseconds.
     */
    public long relayBindRetryNs()
    {
        return relayBindRetryNs;
    }

    /**
     * While a peer is relayed and the NAT pair is not hard ↔ hard (the relay came after a failed punch), ask the
     * introducers for a new introduction this often; a punch that succeeds moves the peer to a direct path.
     *
     * @param intervalNs nanoseconds, 0 to stay relayed.
     * @return this.
     */
    public RelayingConfiguration relayUpgradeIntervalNs(final long intervalNs)
    {
        this.relayUpgradeIntervalNs = intervalNs;
        return this;
    }

    /**
     * How often a relayed peer tries to move to a direct path.
     *
     * @return nanoseconds, 0 for never.
     */
    public long relayUpgradeIntervalNs()
    {
        return relayUpgradeIntervalNs;
    }

    /**
     * Opts in to relay for our swarms (peer relay): while our NAT is static or easy, we tell the introducers, and
     * they may ask two members of a swarm we share, who cannot connect to each other, to bind a relay session at
     * us. Only peers connected to us directly may bind. An introducer node does not take this role.
     *
     * @param relay true to relay for others.
     * @return this.
     */
    public RelayingConfiguration peerRelay(final boolean relay)
    {
        this.peerRelay = relay;
        return this;
    }

    /**
     * Whether we relay for our swarms.
     *
     * @return true if opted in.
     */
    public boolean peerRelay()
    {
        return peerRelay;
    }

    /**
     * The quota of each session we relay for others: beyond it datagrams are dropped and counted
     * ({@code relay_quota_session}).
     *
     * @param packetsPerSecond datagrams per second, both directions together.
     * @param bytesPerSecond   bytes per second, both directions together.
     * @return this.
     */
    public RelayingConfiguration peerRelayQuota(final int packetsPerSecond, final long bytesPerSecond)
    {
        this.peerRelayPacketRate = packetsPerSecond;
        this.peerRelayByteRate = bytesPerSecond;
        return this;
    }

    /**
     * Datagrams per second one session we relay may carry.
     *
     * @return the rate.
     */
    public int peerRelayPacketRate()
    {
        return peerRelayPacketRate;
    }

    /**
     * Bytes per second one session we relay may carry.
     *
     * @return the rate.
     */
    public long peerRelayByteRate()
    {
        return peerRelayByteRate;
    }

    /**
     * Sessions we relay at most; a bind beyond is refused and counted ({@code relay_quota_sessions_full}).
     *
     * @param max sessions.
     * @return this.
     */
    public RelayingConfiguration peerRelayMaxSessions(final int max)
    {
        this.peerRelayMaxSessions = max;
        return this;
    }

    /**
     * Sessions we relay at most.
     *
     * @return sessions.
     */
    public int peerRelayMaxSessions()
    {
        return peerRelayMaxSessions;
    }

    /**
     * The wall clock that relay token expiries are read against (the fleet shares it; the simulator injects its
     * own). The core reads no other clock.
     *
     * @param clock epoch milliseconds.
     * @return this.
     */
    public RelayingConfiguration epochClock(final EpochClock clock)
    {
        this.epochClock = clock;
        return this;
    }

    /**
     * The wall clock for relay token expiries.
     *
     * @return the clock.
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }
}
