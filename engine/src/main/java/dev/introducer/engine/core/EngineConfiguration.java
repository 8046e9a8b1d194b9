package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.ErrorHandler;
import org.agrona.LangUtil;

import dev.introducer.engine.EngineHandler;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * Every tunable of the core, with defaults as {@code *_DEFAULT} constants in Aeron's {@code Configuration}
 * style, and fluent setters. Times are nanoseconds.
 * <p>
 * The spray defaults come from the birthday maths in {@code engine/README.md}: with a pool of 256 hard-side
 * sockets among 64,512 ports, 755 distinct probes hit with probability 95 %, so 2,000 probes/s puts the p95 of
 * the probing phase at 0.38 s, inside the 1 s budget with room for the introduction and the pool's bind.
 */
public final class EngineConfiguration
{
    /** Keepalive period towards introducers and connected peers. */
    public static final long KEEPALIVE_DEFAULT_NS = TimeUnit.SECONDS.toNanos(15);
    /** Period of the housekeeping tick (peer states, rejoin, address change and clock-jump checks). */
    public static final long TICK_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A tick later than this after the previous one means the host slept: rediscover. */
    public static final long CLOCK_JUMP_THRESHOLD_DEFAULT_NS = TimeUnit.SECONDS.toNanos(3);
    /** Introductions asked for in a join. */
    public static final int INTRODUCTIONS_WANTED_DEFAULT = 3;
    /** A connect attempt that has not succeeded by then fails. */
    public static final long CONNECT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
    /** First retry interval of direct pings; doubles up to the maximum. */
    public static final long DIRECT_RETRY_MIN_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(25);
    /** Largest retry interval of direct pings. */
    public static final long DIRECT_RETRY_MAX_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Hard side: sockets opened for one spray. */
    public static final int SPRAY_POOL_SIZE_DEFAULT = 256;
    /** Hard side: a spray gets at least this many sockets, or fails with a clear reason. */
    public static final int SPRAY_POOL_MIN_DEFAULT = 32;
    /** Hard side: the pool re-sends its probes this often while the attempt lasts, to keep its mappings. */
    public static final long SPRAY_POOL_RESEND_DEFAULT_NS = TimeUnit.SECONDS.toNanos(2);
    /** Easy side: probes per second of one spray. */
    public static final int SPRAY_PROBE_RATE_DEFAULT = 2_000;
    /** Easy side: probes per second of all concurrent sprays together; each spray gets its share. */
    public static final int SPRAY_TOTAL_PROBE_RATE_DEFAULT = 20_000;
    /** Easy side: probes of one spray at most (p > 99.99 % for a pool of 256). */
    public static final int SPRAY_MAX_PROBES_DEFAULT = 8_192;
    /** Easy side: pacing granularity; probes due in one interval leave together. */
    public static final long SPRAY_TICK_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Hard side: losing sockets are closed this long after the winner is found. */
    public static final long SPRAY_LOSER_LINGER_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Sockets the core may hold open for sprays, all attempts together. */
    public static final int SOCKET_BUDGET_DEFAULT = 4_096;
    /** Lowest port an easy-side probe aims at: NATs allocate from 1024 up. */
    public static final int SPRAY_PORT_LOW_DEFAULT = 1024;
    /** Peers the core keeps at most; more are refused and counted. */
    public static final int MAX_PEERS_DEFAULT = 65_536;

    private Id32 localId;
    private long restartEpoch;
    private boolean introducer;
    private final List<Endpoint> introducers = new ArrayList<>();
    private long keepaliveNs = KEEPALIVE_DEFAULT_NS;
    private long tickIntervalNs = TICK_INTERVAL_DEFAULT_NS;
    private long clockJumpThresholdNs = CLOCK_JUMP_THRESHOLD_DEFAULT_NS;
    private int introductionsWanted = INTRODUCTIONS_WANTED_DEFAULT;
    private long connectTimeoutNs = CONNECT_TIMEOUT_DEFAULT_NS;
    private long directRetryMinNs = DIRECT_RETRY_MIN_DEFAULT_NS;
    private long directRetryMaxNs = DIRECT_RETRY_MAX_DEFAULT_NS;
    private int sprayPoolSize = SPRAY_POOL_SIZE_DEFAULT;
    private int sprayPoolMin = SPRAY_POOL_MIN_DEFAULT;
    private long sprayPoolResendNs = SPRAY_POOL_RESEND_DEFAULT_NS;
    private int sprayProbeRate = SPRAY_PROBE_RATE_DEFAULT;
    private int sprayTotalProbeRate = SPRAY_TOTAL_PROBE_RATE_DEFAULT;
    private int sprayMaxProbes = SPRAY_MAX_PROBES_DEFAULT;
    private long sprayTickNs = SPRAY_TICK_DEFAULT_NS;
    private long sprayLoserLingerNs = SPRAY_LOSER_LINGER_DEFAULT_NS;
    private int socketBudget = SOCKET_BUDGET_DEFAULT;
    private int sprayPortLow = SPRAY_PORT_LOW_DEFAULT;
    private int maxPeers = MAX_PEERS_DEFAULT;
    private final DiscoveryConfiguration discovery = new DiscoveryConfiguration();
    private final RelayingConfiguration relaying = new RelayingConfiguration();
    private ErrorHandler errorHandler = LangUtil::rethrowUnchecked;
    private EngineHandler attemptObserver = new EngineHandler()
    {
    };

    /**
     * Checks the values and fills what is derived. Called by the core's constructor.
     *
     * @return this.
     * @throws IllegalArgumentException with a one-line reason.
     */
    public EngineConfiguration conclude()
    {
        if (null == localId)
        {
            throw new IllegalArgumentException("localId is required");
        }
        if (!introducer && introducers.isEmpty())
        {
            throw new IllegalArgumentException("a peer needs at least one introducer address");
        }
        requirePositive(keepaliveNs, "keepalive");
        requirePositive(tickIntervalNs, "tickInterval");
        requirePositive(connectTimeoutNs, "connectTimeout");
        requirePositive(sprayProbeRate, "sprayProbeRate");
        requirePositive(sprayTotalProbeRate, "sprayTotalProbeRate");
        requirePositive(sprayMaxProbes, "sprayMaxProbes");
        requirePositive(sprayTickNs, "sprayTick");
        if (sprayPoolSize < 1 || sprayPoolMin < 1 || sprayPoolMin > sprayPoolSize)
        {
            throw new IllegalArgumentException("need 1 <= sprayPoolMin <= sprayPoolSize");
        }
        relaying.conclude();
        if (sprayPortLow < 1 || sprayPortLow > 65535)
        {
            throw new IllegalArgumentException("sprayPortLow must be 1..65535");
        }
        return this;
    }

    static void requirePositive(final long value, final String name)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * This node's id.
     *
     * @param localId 32 bytes.
     * @return this.
     */
    public EngineConfiguration localId(final Id32 localId)
    {
        this.localId = localId;
        return this;
    }

    /**
     * This node's id.
     *
     * @return the id.
     */
    public Id32 localId()
    {
        return localId;
    }

    /**
     * A value that changes on every start (the host passes its start time): peers see restarts by it.
     *
     * @param restartEpoch value.
     * @return this.
     */
    public EngineConfiguration restartEpoch(final long restartEpoch)
    {
        this.restartEpoch = restartEpoch;
        return this;
    }

    /**
     * The restart epoch.
     *
     * @return the value.
     */
    public long restartEpoch()
    {
        return restartEpoch;
    }

    /**
     * Whether this node is an introducer: it has a static address, runs no NAT discovery, and answers pings,
     * probes, joins and intros for everyone.
     *
     * @param introducer true for the introducer role.
     * @return this.
     */
    public EngineConfiguration introducer(final boolean introducer)
    {
        this.introducer = introducer;
        return this;
    }

    /**
     * Whether this node is an introducer.
     *
     * @return true for the introducer role.
     */
    public boolean introducer()
    {
        return introducer;
    }

    /**
     * Adds an introducer address. The core sends only to addresses it was given or learned from them.
     *
     * @param endpoint of an introducer.
     * @return this.
     */
    public EngineConfiguration addIntroducer(final Endpoint endpoint)
    {
        introducers.add(endpoint.copy());
        return this;
    }

    /**
     * The introducer addresses.
     *
     * @return the list, in the order given.
     */
    public List<Endpoint> introducers()
    {
        return introducers;
    }

    /**
     * Keepalive period.
     *
     * @param keepaliveNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration keepaliveNs(final long keepaliveNs)
    {
        this.keepaliveNs = keepaliveNs;
        return this;
    }

    /**
     * Keepalive period.
     *
     * @return nanoseconds.
     */
    public long keepaliveNs()
    {
        return keepaliveNs;
    }

    /**
     * Housekeeping tick.
     *
     * @param tickIntervalNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration tickIntervalNs(final long tickIntervalNs)
    {
        this.tickIntervalNs = tickIntervalNs;
        return this;
    }

    /**
     * Housekeeping tick.
     *
     * @return nanoseconds.
     */
    public long tickIntervalNs()
    {
        return tickIntervalNs;
    }

    /**
     * Gap between ticks that counts as a wake-up from sleep.
     *
     * @param clockJumpThresholdNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration clockJumpThresholdNs(final long clockJumpThresholdNs)
    {
        this.clockJumpThresholdNs = clockJumpThresholdNs;
        return this;
    }

    /**
     * Gap between ticks that counts as a wake-up from sleep.
     *
     * @return nanoseconds.
     */
    public long clockJumpThresholdNs()
    {
        return clockJumpThresholdNs;
    }

    /**
     * Introductions asked for in a join.
     *
     * @param wanted 0..255.
     * @return this.
     */
    public EngineConfiguration introductionsWanted(final int wanted)
    {
        this.introductionsWanted = wanted;
        return this;
    }

    /**
     * Introductions asked for in a join.
     *
     * @return count.
     */
    public int introductionsWanted()
    {
        return introductionsWanted;
    }

    /**
     * Connect attempt time limit.
     *
     * @param connectTimeoutNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration connectTimeoutNs(final long connectTimeoutNs)
    {
        this.connectTimeoutNs = connectTimeoutNs;
        return this;
    }

    /**
     * Connect attempt time limit.
     *
     * @return nanoseconds.
     */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    /**
     * First direct retry interval.
     *
     * @return nanoseconds.
     */
    public long directRetryMinNs()
    {
        return directRetryMinNs;
    }

    /**
     * Direct retry intervals: the first, doubling up to the largest.
     *
     * @param minNs first interval.
     * @param maxNs largest interval.
     * @return this.
     */
    public EngineConfiguration directRetryNs(final long minNs, final long maxNs)
    {
        this.directRetryMinNs = minNs;
        this.directRetryMaxNs = maxNs;
        return this;
    }

    /**
     * Largest direct retry interval.
     *
     * @return nanoseconds.
     */
    public long directRetryMaxNs()
    {
        return directRetryMaxNs;
    }

    /**
     * Hard-side pool size.
     *
     * @param size sockets per spray.
     * @return this.
     */
    public EngineConfiguration sprayPoolSize(final int size)
    {
        this.sprayPoolSize = size;
        return this;
    }

    /**
     * Hard-side pool size.
     *
     * @return sockets per spray.
     */
    public int sprayPoolSize()
    {
        return sprayPoolSize;
    }

    /**
     * Smallest pool a spray accepts when the budget is short.
     *
     * @param min sockets.
     * @return this.
     */
    public EngineConfiguration sprayPoolMin(final int min)
    {
        this.sprayPoolMin = min;
        return this;
    }

    /**
     * Smallest pool a spray accepts.
     *
     * @return sockets.
     */
    public int sprayPoolMin()
    {
        return sprayPoolMin;
    }

    /**
     * Hard-side resend period.
     *
     * @return nanoseconds.
     */
    public long sprayPoolResendNs()
    {
        return sprayPoolResendNs;
    }

    /**
     * Hard-side resend period.
     *
     * @param resendNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration sprayPoolResendNs(final long resendNs)
    {
        this.sprayPoolResendNs = resendNs;
        return this;
    }

    /**
     * Easy-side probe rate of one spray.
     *
     * @param probesPerSecond rate.
     * @return this.
     */
    public EngineConfiguration sprayProbeRate(final int probesPerSecond)
    {
        this.sprayProbeRate = probesPerSecond;
        return this;
    }

    /**
     * Easy-side probe rate of one spray.
     *
     * @return probes per second.
     */
    public int sprayProbeRate()
    {
        return sprayProbeRate;
    }

    /**
     * Easy-side probe rate of all sprays together.
     *
     * @param probesPerSecond rate.
     * @return this.
     */
    public EngineConfiguration sprayTotalProbeRate(final int probesPerSecond)
    {
        this.sprayTotalProbeRate = probesPerSecond;
        return this;
    }

    /**
     * Easy-side probe rate of all sprays together.
     *
     * @return probes per second.
     */
    public int sprayTotalProbeRate()
    {
        return sprayTotalProbeRate;
    }

    /**
     * Easy-side probe cap per spray.
     *
     * @param maxProbes count.
     * @return this.
     */
    public EngineConfiguration sprayMaxProbes(final int maxProbes)
    {
        this.sprayMaxProbes = maxProbes;
        return this;
    }

    /**
     * Easy-side probe cap per spray.
     *
     * @return count.
     */
    public int sprayMaxProbes()
    {
        return sprayMaxProbes;
    }

    /**
     * Easy-side pacing interval.
     *
     * @return nanoseconds.
     */
    public long sprayTickNs()
    {
        return sprayTickNs;
    }

    /**
     * Easy-side pacing interval.
     *
     * @param tickNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration sprayTickNs(final long tickNs)
    {
        this.sprayTickNs = tickNs;
        return this;
    }

    /**
     * How long losing hard-side sockets stay open after the winner is found.
     *
     * @return nanoseconds.
     */
    public long sprayLoserLingerNs()
    {
        return sprayLoserLingerNs;
    }

    /**
     * How long losing hard-side sockets stay open after the winner is found.
     *
     * @param lingerNs nanoseconds.
     * @return this.
     */
    public EngineConfiguration sprayLoserLingerNs(final long lingerNs)
    {
        this.sprayLoserLingerNs = lingerNs;
        return this;
    }

    /**
     * Sockets available to sprays, all together.
     *
     * @param budget sockets.
     * @return this.
     */
    public EngineConfiguration socketBudget(final int budget)
    {
        this.socketBudget = budget;
        return this;
    }

    /**
     * Sockets available to sprays, all together.
     *
     * @return sockets.
     */
    public int socketBudget()
    {
        return socketBudget;
    }

    /**
     * Lowest port the easy side probes.
     *
     * @return the port.
     */
    public int sprayPortLow()
    {
        return sprayPortLow;
    }

    /**
     * Lowest port the easy side probes.
     *
     * @param port 1..65535.
     * @return this.
     */
    public EngineConfiguration sprayPortLow(final int port)
    {
        this.sprayPortLow = port;
        return this;
    }

    /**
     * Peers kept at most.
     *
     * @return count.
     */
    public int maxPeers()
    {
        return maxPeers;
    }

    /**
     * Peers kept at most.
     *
     * @param maxPeers count.
     * @return this.
     */
    public EngineConfiguration maxPeers(final int maxPeers)
    {
        this.maxPeers = maxPeers;
        return this;
    }

    /**
     * Where exceptions thrown by the application's callbacks go, after the core counted them
     * ({@code callback_errors}) and finished the state change around the call. The default rethrows, so that a
     * test on the bare core sees its own failures; {@code Engine} installs one that logs and carries on.
     *
     * @param handler the handler; it runs on the core's thread.
     * @return this.
     */
    public EngineConfiguration errorHandler(final ErrorHandler handler)
    {
        this.errorHandler = handler;
        return this;
    }

    /**
     * Where exceptions thrown by callbacks go.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Told of every NAT report and connection result before the application is (the attempt journal); never of
     * messages, so the data path has nothing between the core and the application.
     *
     * @param observer the observer; none by default.
     * @return this.
     */
    public EngineConfiguration attemptObserver(final EngineHandler observer)
    {
        this.attemptObserver = observer;
        return this;
    }

    /**
     * What is told of connection results before the application.
     *
     * @return the observer.
     */
    public EngineHandler attemptObserver()
    {
        return attemptObserver;
    }

    /**
     * The relay settings: the node relay this introducer offers, the relay tokens, and relaying for our swarms.
     *
     * @return the relay settings, part of this configuration.
     */
    public RelayingConfiguration relaying()
    {
        return relaying;
    }

    /**
     * The NAT discovery settings: resends, filtering probes and the time limit of a run.
     *
     * @return the discovery settings, part of this configuration.
     */
    public DiscoveryConfiguration discovery()
    {
        return discovery;
    }
}
