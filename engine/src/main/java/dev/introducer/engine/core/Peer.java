package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * What the core knows of one remote node: where to reach it (endpoint and which of our sockets to send from),
 * its NAT, its restart epoch, liveness times, the connection's path and any attempt in progress.
 * <p>
 * Liveness is a function of time ({@link #liveness}), with the seed's thresholds as multiples of the keepalive
 * period: the seed's {@code isPeerActive} forgot to pass the time and so never aged a peer.
 */
public final class Peer
{
    /** Liveness of a peer, from the time since we last heard from it. */
    public enum Liveness
    {
        /** Heard from within 1.5 keepalive periods. */
        ACTIVE,
        /** Within 3. */
        INACTIVE,
        /** Within 5. */
        MISSING,
        /** Longer: forget it. */
        FORGET
    }

    /** Multiples of the keepalive period for {@link Liveness}. */
    static final double INACTIVE_AFTER = 1.5;
    static final double MISSING_AFTER = 3;
    static final double FORGET_AFTER = 5;
    /** A connected peer silent this many keepalive periods is re-punched. */
    static final double SILENT_AFTER = 2.2;

    private final Id32 id;
    private final Endpoint endpoint = new Endpoint();
    private final Endpoint publicEndpoint = new Endpoint();
    private final Endpoint lanEndpoint = new Endpoint();
    private final List<Id32> swarms = new ArrayList<>(2);
    private int socketId = Transport.MAIN_SOCKET;
    private NatType nat = NatType.UNKNOWN;
    private long restartEpoch;
    private boolean restartKnown;
    private final long createdNs;
    private long lastReceivedNs;
    private long lastSentNs;
    private long rttNs = -1;
    private long newestPingSentNs = Long.MIN_VALUE;
    private long lastStrayConfirmNs = Long.MIN_VALUE;
    private boolean introducer;
    private boolean connected;
    private boolean pathStale;
    private boolean needsRelay;
    private PathType path;
    private Strategy strategy;
    private final IntroductionTokens sessionTokens = new IntroductionTokens();
    private ConnectAttempt attempt;
    private long lastAttemptStartNs;
    private int lastAttemptProbes;
    private final PendingConnect pendingConnect = new PendingConnect();
    private boolean indexedByEndpoint;
    private final RelayBindings relayBindings = new RelayBindings();

    Peer(final Id32 id, final long nowNs)
    {
        this.id = id;
        this.createdNs = nowNs;
    }

    /**
     * The peer's id.
     *
     * @return the id.
     */
    public Id32 id()
    {
        return id;
    }

    /**
     * Where we send to it: its punched public endpoint, its LAN endpoint, or what an introducer told us.
     *
     * @return the endpoint (do not modify).
     */
    public Endpoint endpoint()
    {
        return endpoint;
    }

    /**
     * Its public endpoint as an introducer observed it.
     *
     * @return the endpoint (do not modify).
     */
    public Endpoint publicEndpoint()
    {
        return publicEndpoint;
    }

    /**
     * Its LAN endpoint, family none if unknown.
     *
     * @return the endpoint (do not modify).
     */
    public Endpoint lanEndpoint()
    {
        return lanEndpoint;
    }

    /**
     * Which of our sockets reaches it (a spray socket for the hard side of a birthday punch).
     *
     * @return the socket id.
     */
    public int socketId()
    {
        return socketId;
    }

    /**
     * Its NAT type as it reported it.
     *
     * @return the type.
     */
    public NatType nat()
    {
        return nat;
    }

    /**
     * Whether a connection is up.
     *
     * @return true if connected.
     */
    public boolean isConnected()
    {
        return connected;
    }

    /**
     * The path of the connection.
     *
     * @return the path, null when not connected.
     */
    public PathType path()
    {
        return connected ? path : null;
    }

    /**
     * The strategy that made the connection.
     *
     * @return the strategy, null when not connected.
     */
    public Strategy strategy()
    {
        return connected ? strategy : null;
    }

    /**
     * Smoothed round-trip time from ping echoes.
     *
     * @return nanoseconds, or -1 if not measured yet.
     */
    public long rttNs()
    {
        return rttNs;
    }

    /**
     * Whether this is one of our configured introducers.
     *
     * @return true for an introducer.
     */
    public boolean isIntroducer()
    {
        return introducer;
    }

    /**
     * Whether the pair was found to need a relay.
     *
     * @return true if hard ↔ hard.
     */
    public boolean needsRelay()
    {
        return needsRelay;
    }

    /**
     * When the last finished attempt started (its introduction), for the attempt journal: valid in the
     * listener's call that reports the attempt's end.
     *
     * @return nanoseconds on the core's clock, 0 if no attempt finished yet.
     */
    public long lastAttemptStartNs()
    {
        return lastAttemptStartNs;
    }

    /**
     * Probes the last finished attempt sent, for the attempt journal.
     *
     * @return the count, 0 if no attempt finished yet.
     */
    public int lastAttemptProbes()
    {
        return lastAttemptProbes;
    }

    /**
     * Time we last heard from it.
     *
     * @return nanoseconds, 0 if never.
     */
    public long lastReceivedNs()
    {
        return lastReceivedNs;
    }

    /**
     * The liveness at a time.
     *
     * @param nowNs       the time.
     * @param keepaliveNs the keepalive period.
     * @return the liveness.
     */
    public Liveness liveness(final long nowNs, final long keepaliveNs)
    {
        final long heard = lastReceivedNs > 0 ? lastReceivedNs : createdNs;
        final double silentPeriods = (double)(nowNs - heard) / keepaliveNs;
        if (silentPeriods <= INACTIVE_AFTER)
        {
            return Liveness.ACTIVE;
        }
        if (silentPeriods <= MISSING_AFTER)
        {
            return Liveness.INACTIVE;
        }
        return silentPeriods <= FORGET_AFTER ? Liveness.MISSING : Liveness.FORGET;
    }

    /**
     * The swarms the peer is known to be in.
     *
     * @return the ids (do not modify).
     */
    public List<Id32> swarms()
    {
        return swarms;
    }

    boolean inSwarm(final Id32 swarmId)
    {
        return swarms.contains(swarmId);
    }

    void addSwarm(final Id32 swarmId)
    {
        if (!swarms.contains(swarmId))
        {
            swarms.add(swarmId);
        }
    }

    void removeSwarm(final Id32 swarmId)
    {
        swarms.remove(swarmId);
    }

    void socketId(final int socketId)
    {
        this.socketId = socketId;
    }

    void nat(final NatType nat)
    {
        if (nat != NatType.UNKNOWN)
        {
            this.nat = nat;
        }
    }

    /**
     * Records a restart epoch.
     *
     * @param epoch the value from a ping, pong or connect (0 = none).
     * @return true if it differs from a previously known one: the peer restarted. A first value is no restart
     * (the seed counted null → value as one and sent a round of joins for nothing).
     */
    boolean updateRestartEpoch(final long epoch)
    {
        if (0 == epoch)
        {
            return false;
        }
        final boolean restarted = restartKnown && epoch != restartEpoch;
        restartEpoch = epoch;
        restartKnown = true;
        return restarted;
    }

    long restartEpoch()
    {
        return restartEpoch;
    }

    /**
     * The sender's clock in the newest ping accepted from this peer (its {@code echo} field), or
     * {@link Long#MIN_VALUE} before any. Only a ping newer than this may move the path to a new endpoint: pings
     * from one spray round of the hard side's pool carry one time and can arrive in any order, after the
     * winner's confirmation too, so the newest one sent says where the other side is, not the last one read.
     */
    long newestPingSentNs()
    {
        return newestPingSentNs;
    }

    /**
     * Records a ping's send time on the peer's clock.
     *
     * @param sentNs the ping's {@code echo} field.
     */
    void pingSent(final long sentNs)
    {
        newestPingSentNs = Math.max(newestPingSentNs, sentNs);
    }

    /**
     * The peer restarted: its clock starts over, so its old pings' times mean nothing now.
     */
    void forgetPingTimes()
    {
        newestPingSentNs = Long.MIN_VALUE;
    }

    /**
     * When we last confirmed our path's socket because the peer's datagrams reached another of our sockets.
     */
    long lastStrayConfirmNs()
    {
        return lastStrayConfirmNs;
    }

    void lastStrayConfirmNs(final long nowNs)
    {
        lastStrayConfirmNs = nowNs;
    }

    void heardFrom(final long nowNs)
    {
        lastReceivedNs = nowNs;
    }

    long lastSentNs()
    {
        return lastSentNs;
    }

    void sentTo(final long nowNs)
    {
        lastSentNs = nowNs;
    }

    void rttSample(final long sampleNs)
    {
        rttNs = rttNs < 0 ? sampleNs : (7 * rttNs + sampleNs) / 8;
    }

    void introducer(final boolean introducer)
    {
        this.introducer = introducer;
    }

    void connected(final PathType path, final Strategy strategy, final ConnectAttempt attempt)
    {
        this.connected = true;
        this.pathStale = false;
        this.path = path;
        this.strategy = strategy;
        this.sessionTokens.set(attempt.tokens());
    }

    void disconnected()
    {
        connected = false;
        pathStale = false;
    }

    boolean pathStale()
    {
        return pathStale;
    }

    void pathStale(final boolean stale)
    {
        this.pathStale = stale;
    }

    void needsRelay(final boolean needsRelay)
    {
        this.needsRelay = needsRelay;
    }

    /**
     * The token our keepalives carry: the first of the session.
     */
    long sessionToken()
    {
        return sessionTokens.first();
    }

    ConnectAttempt attempt()
    {
        return attempt;
    }

    void attempt(final ConnectAttempt attempt)
    {
        if (null != this.attempt)
        {
            lastAttemptStartNs = this.attempt.startNs;
            lastAttemptProbes = this.attempt.probes;
        }
        this.attempt = attempt;
    }

    /**
     * Whether a token authenticates this peer: the token of the working session or of the attempt in progress.
     *
     * @param token from a ping or pong.
     * @return true if it is one of ours for this peer.
     */
    boolean acceptsToken(final long token)
    {
        if (0 == token)
        {
            return false;
        }
        return sessionTokens.contains(token) || (null != attempt && attempt.acceptsToken(token)) ||
            pendingConnect.tokens().contains(token);
    }

    /**
     * CONNECTs that wait for our NAT discovery to finish.
     */
    PendingConnect pendingConnect()
    {
        return pendingConnect;
    }

    /**
     * The relay channel of a relayed path.
     *
     * @return the channel id, 0 when not relayed.
     */
    public int relayChannel()
    {
        return relayBindings.sendChannel();
    }

    /**
     * Its relayed path: every relay session it is reached through, the one we send on ({@link #relayChannel()}).
     */
    RelayBindings relayBindings()
    {
        return relayBindings;
    }

    boolean indexedByEndpoint()
    {
        return indexedByEndpoint;
    }

    void indexedByEndpoint(final boolean indexed)
    {
        this.indexedByEndpoint = indexed;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Peer{" + id.shortHex() + " " + endpoint + " nat=" + nat + (connected ? " " + path : "") + "}";
    }
}
