package dev.introducer.engine.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.core.TestPeers;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the journalling observer writes for each outcome the core reports.
 */
class AttemptJournalObserverTest
{
    @TempDir
    Path dir;

    @Test
    @DisplayName("connected, needs-relay and each failure become one record with both NAT types")
    void eachOutcomeIsOneRecord()
    {
        final Id32 easyPeer = Id32.sha256("easy");
        final Id32 hardPeer = Id32.sha256("hard");
        final Peer easy = TestPeers.peer(easyPeer, NatType.EASY);
        final Peer hard = TestPeers.peer(hardPeer, NatType.HARD);
        final CachedEpochClock wallClock = new CachedEpochClock();
        final CachedNanoClock coreClock = new CachedNanoClock();
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 16))
        {
            final AttemptJournalObserver listener = new AttemptJournalObserver(journal, JournalFiles.LOCAL,
                (id) -> id.equals(easyPeer) ? easy : id.equals(hardPeer) ? hard : null,
                wallClock, coreClock);
            listener.onNatDiscovered(new NatReport(NatType.HARD, NatReport.Mapping.ENDPOINT_DEPENDENT,
                NatReport.Filtering.RESTRICTED, new Endpoint(), new Endpoint(), 2));
            wallClock.update(1_000);
            listener.onPeerConnected(easyPeer, PathType.DIRECT, Strategy.SPRAY_HARD_SIDE, 53_000_000L, 256);
            wallClock.update(2_000);
            listener.onNeedsRelay(hardPeer);
            TestPeers.finishAttempt(easy, 5_000_000_000L, 900);
            coreClock.update(15_000_000_000L);
            listener.onConnectFailed(easyPeer, Strategy.SPRAY_HARD_SIDE, ConnectFailure.TIMEOUT);
            listener.onConnectFailed(easyPeer, Strategy.SPRAY_HARD_SIDE, ConnectFailure.SOCKET_BUDGET_EXHAUSTED);
            listener.onConnectFailed(Id32.sha256("stranger"), Strategy.DIRECT, ConnectFailure.NAT_UNKNOWN);
        }

        final List<AttemptRecord> records = new ArrayList<>();
        try (AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            reader.readRetained((record) -> records.add(copy(record)));
        }
        assertEquals(5, records.size());
        final AttemptRecord connected = records.get(0);
        assertEquals(1_000, connected.epochMs());
        assertEquals(NatType.HARD, connected.localNat());
        assertEquals(NatType.EASY, connected.remoteNat());
        assertEquals(Strategy.SPRAY_HARD_SIDE, connected.strategy());
        assertEquals(AttemptResult.CONNECTED, connected.result());
        assertEquals(PathType.DIRECT, connected.path());
        assertEquals(53_000_000L, connected.durationNs());
        assertEquals(256, connected.probes());
        assertEquals(easyPeer.word(0), connected.peerIdPrefix());
        assertEquals(JournalFiles.LOCAL.word(0), connected.localIdPrefix());

        final AttemptRecord needsRelay = records.get(1);
        assertEquals(NatType.HARD, needsRelay.remoteNat());
        assertEquals(Strategy.RELAY, needsRelay.strategy());
        assertEquals(AttemptResult.NEEDS_RELAY, needsRelay.result());
        assertNull(needsRelay.path());

        final AttemptRecord timeout = records.get(2);
        assertEquals(AttemptResult.TIMEOUT, timeout.result());
        assertEquals(10_000_000_000L, timeout.durationNs(), "from the attempt's start to the failure");
        assertEquals(900, timeout.probes(), "the probes the attempt sent");

        final AttemptRecord budget = records.get(3);
        assertEquals(AttemptResult.SOCKET_BUDGET_EXHAUSTED, budget.result());
        assertEquals(0, budget.durationNs(), "no attempt ran");
        assertEquals(0, budget.probes());

        final AttemptRecord unknown = records.get(4);
        assertEquals(AttemptResult.NAT_UNKNOWN, unknown.result());
        assertEquals(NatType.UNKNOWN, unknown.remoteNat(), "a peer the core does not know");
    }

    private static AttemptRecord copy(final AttemptRecord record)
    {
        final AttemptRecord copy = new AttemptRecord();
        copy.sequence = record.sequence;
        copy.epochMs = record.epochMs;
        copy.durationNs = record.durationNs;
        copy.probes = record.probes;
        copy.localNat = record.localNat;
        copy.remoteNat = record.remoteNat;
        copy.strategy = record.strategy;
        copy.path = record.path;
        copy.result = record.result;
        copy.localIdPrefix = record.localIdPrefix;
        copy.peerIdPrefix = record.peerIdPrefix;
        return copy;
    }
}
