package dev.introducer.engine.journal;

import java.util.function.Function;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.Peer;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * Journals every attempt the core reports. The core tells it of each result before the application (the
 * {@code Engine} installs it as the core's attempt observer when a journal is configured): connected, needs-relay
 * and connect-failed each append one record, with our NAT type from the last discovery and the peer's from its
 * introduction. Nothing here allocates, and messages never reach it.
 */
public final class AttemptJournalObserver implements EngineHandler
{
    private final AttemptJournal journal;
    private final Id32 localId;
    private final Function<Id32, Peer> peers;
    private final EpochClock epochClock;
    private final NanoClock coreClock;
    private NatType localNat = NatType.UNKNOWN;

    /**
     * A journalling observer.
     *
     * @param journal    where the attempts go.
     * @param localId    our id.
     * @param peers      the core's peers by id ({@code core::peer}), for the peer's NAT type and last attempt.
     * @param epochClock wall-clock time of the records.
     * @param coreClock  the clock the core is driven with, for the duration of a failed attempt.
     */
    public AttemptJournalObserver(
        final AttemptJournal journal,
        final Id32 localId,
        final Function<Id32, Peer> peers,
        final EpochClock epochClock,
        final NanoClock coreClock)
    {
        this.journal = journal;
        this.localId = localId;
        this.peers = peers;
        this.epochClock = epochClock;
        this.coreClock = coreClock;
    }

    /**
     * {@inheritDoc}
     */
    public void onNatDiscovered(final NatReport report)
    {
        localNat = report.natType();
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerConnected(
        final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
    {
        journal.append(epochClock.time(), localNat, remoteNat(peer), strategy, AttemptResult.CONNECTED, path,
            timeToConnectNs, probes, localId, peer);
    }

    /**
     * {@inheritDoc}
     */
    public void onNeedsRelay(final Id32 peer)
    {
        journal.append(epochClock.time(), localNat, remoteNat(peer), Strategy.RELAY, AttemptResult.NEEDS_RELAY, null,
            0, 0, localId, peer);
    }

    /**
     * {@inheritDoc}
     */
    public void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
    {
        final Peer state = peers.apply(peer);
        long durationNs = 0;
        int probes = 0;
        // A timeout or a refused relay ends an attempt that ran; the other failures end one before it started.
        if (null != state && (ConnectFailure.TIMEOUT == reason || ConnectFailure.RELAY_REFUSED == reason) &&
            0 != state.lastAttemptStartNs())
        {
            durationNs = Math.max(0, coreClock.nanoTime() - state.lastAttemptStartNs());
            probes = state.lastAttemptProbes();
        }
        journal.append(epochClock.time(), localNat, null == state ? NatType.UNKNOWN : state.nat(), strategy,
            AttemptResult.of(reason), null, durationNs, probes, localId, peer);
    }

    private NatType remoteNat(final Id32 peerId)
    {
        final Peer peer = peers.apply(peerId);
        return null == peer ? NatType.UNKNOWN : peer.nat();
    }
}
