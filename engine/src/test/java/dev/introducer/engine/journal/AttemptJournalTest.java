package dev.introducer.engine.journal;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal file: what goes in comes out, it survives a reopen, it wraps when full, and a record a writer never
 * committed is skipped.
 */
class AttemptJournalTest
{
    @TempDir
    Path dir;

    @Test
    @DisplayName("every field of an appended record reads back as written, in order, from a new reader")
    void roundTrip()
    {
        final Path file = dir.resolve("sub/dir/attempts.journal");
        final Id32 peer = Id32.sha256("peer");
        try (AttemptJournal journal = AttemptJournal.open(file, 64))
        {
            assertEquals(0, journal.append(1_700_000_000_123L, NatType.EASY, NatType.HARD, Strategy.SPRAY_EASY_SIDE,
                AttemptResult.CONNECTED, PathType.DIRECT, 99_000_000L, 197, JournalFiles.LOCAL, peer));
            assertEquals(1, journal.append(1_700_000_000_456L, NatType.HARD, NatType.HARD, Strategy.RELAY,
                AttemptResult.NEEDS_RELAY, null, 0, 0, JournalFiles.LOCAL, peer));
            assertEquals(2, journal.append(1_700_000_000_789L, NatType.STATIC, NatType.UNKNOWN, null,
                AttemptResult.NAT_UNKNOWN, null, 0, 0, null, null));
            assertEquals(3, journal.appended());
        }
        assertEquals(JournalDescriptor.fileLength(64), file.toFile().length(), "header + 64 records");

        final List<String> records = new ArrayList<>();
        try (AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            assertEquals(64, reader.capacity());
            assertEquals(3, reader.appended());
            assertTrue(reader.createdEpochMs() > 0);
            assertEquals(3, reader.poll((record) ->
            {
                if (0 == record.sequence())
                {
                    assertEquals(1_700_000_000_123L, record.epochMs());
                    assertEquals(NatType.EASY, record.localNat());
                    assertEquals(NatType.HARD, record.remoteNat());
                    assertEquals(Strategy.SPRAY_EASY_SIDE, record.strategy());
                    assertEquals(AttemptResult.CONNECTED, record.result());
                    assertEquals(PathType.DIRECT, record.path());
                    assertEquals(99_000_000L, record.durationNs());
                    assertEquals(197, record.probes());
                    assertEquals(JournalFiles.LOCAL.word(0), record.localIdPrefix());
                    assertEquals(peer.word(0), record.peerIdPrefix());
                }
                else if (2 == record.sequence())
                {
                    assertNull(record.strategy());
                    assertNull(record.path());
                    assertEquals(0, record.peerIdPrefix());
                }
                records.add(record.sequence() + " " + record.result().label());
            }, 100));
            assertEquals(List.of("0 connected", "1 needs-relay", "2 nat-unknown"), records);
            assertEquals(0, reader.poll((record) -> records.add("again"), 100), "nothing new");
            assertEquals(0, reader.overwritten() + reader.incomplete() + reader.invalid());
        }
    }

    @Test
    @DisplayName("every strategy and path has a fixed code of its own (a new constant needs one)")
    void everyStrategyAndPathHasACode()
    {
        final java.util.Set<Integer> codes = new java.util.HashSet<>();
        for (final Strategy strategy : Strategy.values())
        {
            final int code = JournalDescriptor.strategyCode(strategy);
            assertTrue(code > 0 && codes.add(code), strategy + " has code " + code);
            assertEquals(strategy, JournalDescriptor.strategy(code));
        }
        assertEquals(5, JournalDescriptor.strategyCode(Strategy.RELAY), "codes are the file format");
        codes.clear();
        for (final PathType path : PathType.values())
        {
            final int code = JournalDescriptor.pathCode(path);
            assertTrue(code > 0 && codes.add(code), path + " has code " + code);
            assertEquals(path, JournalDescriptor.path(code));
        }
        assertEquals(3, JournalDescriptor.pathCode(PathType.RELAY));
        assertEquals(0, JournalDescriptor.strategyCode(null));
        assertNull(JournalDescriptor.strategy(0));
        for (final AttemptResult result : AttemptResult.values())
        {
            assertEquals(result, AttemptResult.fromCode(result.code()));
        }
        for (final dev.introducer.engine.ConnectFailure failure :
            dev.introducer.engine.ConnectFailure.values())
        {
            assertTrue(null != AttemptResult.of(failure), failure + " has a result");
        }
    }

    @Test
    @DisplayName("reopening an existing journal continues it and keeps its capacity")
    void reopenContinues()
    {
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 32))
        {
            JournalFiles.appendDerived(journal, 1, Id32.ZERO);
        }
        try (AttemptJournal journal = AttemptJournal.open(file, 1024))
        {
            assertEquals(32, journal.capacity(), "the file's capacity, not the requested one");
            assertEquals(1, JournalFiles.appendDerived(journal, 2, Id32.ZERO));
        }
        try (AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            final List<Long> seen = new ArrayList<>();
            reader.readRetained((record) -> seen.add(record.epochMs() / 3));
            assertEquals(List.of(1L, 2L), seen);
        }
    }

    @Test
    @DisplayName("a full journal wraps: the file keeps the last `capacity` records, a reader counts the overwritten")
    void fullJournalWraps()
    {
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 16);
            AttemptJournalReader tail = AttemptJournalReader.open(file))
        {
            for (int n = 0; n < 40; n++)
            {
                JournalFiles.appendDerived(journal, n, Id32.ZERO);
            }
            assertEquals(40, journal.appended());
            assertEquals(JournalDescriptor.fileLength(16), file.toFile().length(), "the size never changes");

            final List<Long> seen = new ArrayList<>();
            assertEquals(16, tail.poll((record) ->
            {
                assertTrue(JournalFiles.isDerived(record), record::toString);
                seen.add(record.sequence());
            }, 100));
            assertEquals(24, tail.overwritten(), "records 0..23 were overwritten before the reader got to them");
            assertEquals(24L, seen.get(0));
            assertEquals(39L, seen.get(15));

            JournalFiles.appendDerived(journal, 40, Id32.ZERO);
            assertEquals(1, tail.poll((record) -> assertEquals(40, record.sequence()), 100), "the tail goes on");
        }
    }

    @Test
    @DisplayName("a record claimed by a writer that died before committing is skipped and counted, never returned")
    void uncommittedRecordIsSkipped() throws Exception
    {
        final Path file = dir.resolve("attempts.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 16))
        {
            JournalFiles.appendDerived(journal, 0, Id32.ZERO);
            JournalFiles.appendDerived(journal, 1, Id32.ZERO);
            JournalFiles.appendDerived(journal, 2, Id32.ZERO);
        }
        // Sequence 1 as a writer that died mid-record leaves it: the in-progress mark and garbage fields.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0,
                Files.size(file)));
            final int offset = JournalDescriptor.recordOffset(1, 16);
            buffer.putLong(offset + JournalDescriptor.COMMIT_OFFSET, -2);
            buffer.putLong(offset + JournalDescriptor.DURATION_OFFSET, 12345);
        }
        try (AttemptJournalReader reader = AttemptJournalReader.open(file))
        {
            final List<Long> seen = new ArrayList<>();
            assertEquals(2, reader.readRetained((record) -> seen.add(record.sequence())));
            assertEquals(List.of(0L, 2L), seen);
            assertEquals(1, reader.incomplete());
        }
        try (AttemptJournalReader tail = AttemptJournalReader.open(file))
        {
            final List<Long> seen = new ArrayList<>();
            assertEquals(1, tail.poll((record) -> seen.add(record.sequence()), 100), "waits at the claimed record");
            Thread.sleep(AttemptJournalReader.INCOMPLETE_TIMEOUT_NS_DEFAULT / 1_000_000 + 100);
            assertEquals(1, tail.poll((record) -> seen.add(record.sequence()), 100), "then skips it");
            assertEquals(List.of(0L, 2L), seen);
            assertEquals(1, tail.incomplete());
        }
    }
}
