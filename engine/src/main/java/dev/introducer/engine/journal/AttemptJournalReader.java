package dev.introducer.engine.journal;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.protocol.NatType;

import static dev.introducer.engine.journal.JournalDescriptor.APPENDED_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.CAPACITY_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.COMMIT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.CREATED_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.DURATION_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.HEADER_LENGTH;
import static dev.introducer.engine.journal.JournalDescriptor.LOCAL_ID_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.LOCAL_NAT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PATH_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PEER_ID_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PROBES_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.REMOTE_NAT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.RESULT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.STRATEGY_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.TIME_OFFSET;

/**
 * Reads an attempt journal, from this process or another, while writers append. The file is mapped read-only;
 * only the header is trusted after {@link #open} checked it, and every record is validated: a record that is
 * being written, was left half-written by a writer that died, was overwritten while read, or holds an invalid
 * code is skipped and counted, never returned torn and never a reason to throw.
 * <p>
 * {@link #poll} tails the file from where the last call stopped; {@link #readRetained} reads everything the
 * ring still holds. Not thread-safe: one reader per thread.
 */
public final class AttemptJournalReader implements AutoCloseable
{
    /**
     * How long {@link #poll} waits for a claimed record to be committed before it skips it as left by a writer
     * that died. A live writer commits within nanoseconds of its claim.
     */
    public static final long INCOMPLETE_TIMEOUT_NS_DEFAULT = 1_000_000_000L;

    private static final int READ_OK = 0;
    private static final int READ_INVALID = 1;
    private static final int READ_INCOMPLETE = 2;
    private static final int READ_OVERWRITTEN = 3;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final AttemptRecord record = new AttemptRecord();
    private long position;
    private long stalledSequence = -1;
    private long stalledSinceNs;
    private long overwritten;
    private long incomplete;
    private long invalid;

    private AttemptJournalReader(final Path path, final MappedByteBuffer mapped, final int capacity)
    {
        this.path = path;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.capacity = capacity;
    }

    /**
     * Opens a journal for reading and checks its header.
     *
     * @param path the file.
     * @return the reader, positioned at the oldest record the ring holds.
     * @throws JournalException with a one-line reason if the file is missing, unreadable, truncated or not a
     *                          journal.
     */
    public static AttemptJournalReader open(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length < HEADER_LENGTH)
            {
                throw new JournalException(path + ": not an attempt journal: " + length +
                    " bytes, shorter than its " + HEADER_LENGTH + "-byte header", null);
            }
            final MappedByteBuffer headerMap = channel.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_LENGTH);
            final UnsafeBuffer header = new UnsafeBuffer(headerMap);
            final String problem = JournalDescriptor.checkHeader(header, length);
            final int capacity = header.getInt(CAPACITY_OFFSET);
            IoUtil.unmap(headerMap);
            if (null != problem)
            {
                throw new JournalException(path + ": " + problem, null);
            }
            final MappedByteBuffer mapped = channel.map(
                FileChannel.MapMode.READ_ONLY, 0, JournalDescriptor.fileLength(capacity));
            final AttemptJournalReader reader = new AttemptJournalReader(path, mapped, capacity);
            reader.position = reader.oldestRetained();
            return reader;
        }
        catch (final NoSuchFileException ex)
        {
            throw new JournalException(path + ": no such attempt journal", ex);
        }
        catch (final IOException ex)
        {
            throw new JournalException(path + ": cannot read the attempt journal: " + ex.getMessage(), ex);
        }
    }

    /**
     * Delivers the records appended since the last call (or since {@link #open}), in order, at most
     * {@code limit}. It stops at a record that is claimed but not committed yet and goes on from there next time;
     * one still uncommitted after {@link #INCOMPLETE_TIMEOUT_NS_DEFAULT} is skipped and counted in
     * {@link #incomplete()}. Records the ring overwrote before they were read are counted in
     * {@link #overwritten()}.
     *
     * @param consumer receives each whole record (a reused instance).
     * @param limit    records to deliver at most.
     * @return records delivered.
     */
    public int poll(final Consumer<AttemptRecord> consumer, final int limit)
    {
        return deliver(consumer, limit, true);
    }

    /**
     * Delivers every whole record the ring holds now, oldest first, whatever {@link #poll} read before. The
     * skip counters count this read too.
     *
     * @param consumer receives each record (a reused instance).
     * @return records delivered.
     */
    public int readRetained(final Consumer<AttemptRecord> consumer)
    {
        position = oldestRetained();
        return deliver(consumer, Integer.MAX_VALUE, false);
    }

    /**
     * Sequences claimed by the writers so far.
     *
     * @return the count (with acquire semantics).
     */
    public long appended()
    {
        return buffer.getLongAcquire(APPENDED_OFFSET);
    }

    /**
     * Records the ring holds.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * When the file was created.
     *
     * @return wall-clock ms since the epoch.
     */
    public long createdEpochMs()
    {
        return buffer.getLong(CREATED_OFFSET);
    }

    /**
     * Records lost to the ring's wrap before this reader got to them.
     *
     * @return the count.
     */
    public long overwritten()
    {
        return overwritten;
    }

    /**
     * Records skipped because they were claimed but never committed: left by a writer that died (or, for
     * {@link #readRetained}, still being written).
     *
     * @return the count.
     */
    public long incomplete()
    {
        return incomplete;
    }

    /**
     * Records skipped because a field held an invalid code (a corrupt file).
     *
     * @return the count.
     */
    public long invalid()
    {
        return invalid;
    }

    /**
     * The file.
     *
     * @return its path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Unmaps the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    private int deliver(final Consumer<AttemptRecord> consumer, final int limit, final boolean waitForIncomplete)
    {
        long appended = appended();
        final long oldest = Math.max(0, appended - capacity);
        if (position < oldest)
        {
            overwritten += oldest - position;
            position = oldest;
        }
        int delivered = 0;
        while (position < appended && delivered < limit)
        {
            final long sequence = position;
            final int state = read(sequence);
            if (READ_OVERWRITTEN == state)
            {
                // A writer lapped us while we read: what is left to read starts further on, and ends later.
                appended = appended();
                continue;
            }
            if (READ_INCOMPLETE == state)
            {
                if (waitForIncomplete && !stalledTooLong(sequence))
                {
                    break;
                }
                incomplete++;
            }
            position++;
            if (READ_OK == state)
            {
                consumer.accept(record);
                delivered++;
            }
        }
        return delivered;
    }

    private long oldestRetained()
    {
        return Math.max(0, appended() - capacity);
    }

    /**
     * Seqlock read of one sequence into {@link #record}.
     */
    private int read(final long sequence)
    {
        final int offset = JournalDescriptor.recordOffset(sequence, capacity);
        final long expected = sequence + 1;
        final long before = buffer.getLongAcquire(offset + COMMIT_OFFSET);
        if (before != expected)
        {
            return skip(sequence, before);
        }
        final long epochMs = buffer.getLong(offset + TIME_OFFSET);
        final long durationNs = buffer.getLong(offset + DURATION_OFFSET);
        final int probes = buffer.getInt(offset + PROBES_OFFSET);
        final int localNat = buffer.getByte(offset + LOCAL_NAT_OFFSET);
        final int remoteNat = buffer.getByte(offset + REMOTE_NAT_OFFSET);
        final int strategy = buffer.getByte(offset + STRATEGY_OFFSET);
        final int path = buffer.getByte(offset + PATH_OFFSET);
        final int result = buffer.getByte(offset + RESULT_OFFSET);
        final long localId = buffer.getLong(offset + LOCAL_ID_OFFSET);
        final long peerId = buffer.getLong(offset + PEER_ID_OFFSET);
        // The field loads above must not move below the second look at the commit word.
        VarHandle.acquireFence();
        final long after = buffer.getLongAcquire(offset + COMMIT_OFFSET);
        if (after != expected)
        {
            return skip(sequence, after);
        }
        if (!NatType.isValidCode(localNat) || !NatType.isValidCode(remoteNat) ||
            !JournalDescriptor.isValidStrategy(strategy) || !JournalDescriptor.isValidPath(path) ||
            null == AttemptResult.fromCode(result) || durationNs < 0 || probes < 0)
        {
            invalid++;
            return READ_INVALID;
        }
        record.sequence = sequence;
        record.epochMs = epochMs;
        record.durationNs = durationNs;
        record.probes = probes;
        record.localNat = NatType.fromCode(localNat);
        record.remoteNat = NatType.fromCode(remoteNat);
        record.strategy = JournalDescriptor.strategy(strategy);
        record.path = JournalDescriptor.path(path);
        record.result = AttemptResult.fromCode(result);
        record.localIdPrefix = localId;
        record.peerIdPrefix = peerId;
        return READ_OK;
    }

    private int skip(final long sequence, final long commit)
    {
        final long expected = sequence + 1;
        if (commit > expected || commit < -expected)
        {
            // A later lap's record (or its in-progress mark) is in the slot: ours is gone.
            final long oldest = oldestRetained();
            overwritten += Math.max(1, oldest - sequence);
            position = Math.max(sequence + 1, oldest);
            return READ_OVERWRITTEN;
        }
        return READ_INCOMPLETE;
    }

    private boolean stalledTooLong(final long sequence)
    {
        final long nowNs = System.nanoTime();
        if (stalledSequence != sequence)
        {
            stalledSequence = sequence;
            stalledSinceNs = nowNs;
            return false;
        }
        return nowNs - stalledSinceNs >= INCOMPLETE_TIMEOUT_NS_DEFAULT;
    }
}
