package dev.introducer.engine.journal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.core.TestPeers;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journalling an attempt allocates nothing: the path the engine's thread takes when an attempt ends (the
 * journalling listener: peer lookup, NAT types, clocks, the append) run a million times after warm-up, measured
 * with {@code ThreadMXBean} on this thread. Runs in the allocation-tests JVM.
 */
class AttemptJournalAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    @DisplayName("1 M journalled outcomes (connected, failed, needs-relay): 0 bytes allocated per append")
    void journallingAllocatesNothing()
    {
        final Id32 peerId = Id32.sha256("peer");
        final Peer peer = TestPeers.peer(peerId, NatType.HARD);
        TestPeers.finishAttempt(peer, 1, 7);
        try (AttemptJournal journal = AttemptJournal.open(dir.resolve("attempts.journal"), 1024))
        {
            final AttemptJournalObserver listener = new AttemptJournalObserver(journal, JournalFiles.LOCAL, (id) -> peer, SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE);

            run(listener, peerId, WARM_UP);
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            final long probeCost = THREADS.getCurrentThreadAllocatedBytes() - before;
            final long start = THREADS.getCurrentThreadAllocatedBytes();
            run(listener, peerId, MEASURED);
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - start - probeCost;
            final double perAppend = (double)allocated / MEASURED;
            System.out.printf("journal append: %,d appends, %,d B allocated (%.4f B per append)%n",
                MEASURED, allocated, perAppend);
            assertEquals(WARM_UP + MEASURED, journal.appended());
            assertTrue(perAppend < 0.01, "journalling allocates " + perAppend + " B per append");
        }
    }

    private static void run(final AttemptJournalObserver listener, final Id32 peerId, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            switch (i % 3)
            {
                case 0 -> listener.onPeerConnected(peerId, PathType.DIRECT, Strategy.DIRECT, i, 1);
                case 1 -> listener.onConnectFailed(peerId, Strategy.SPRAY_EASY_SIDE, ConnectFailure.TIMEOUT);
                default -> listener.onNeedsRelay(peerId);
            }
        }
    }
}
