package dev.introducer.engine.journal;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.journal.JournalDescriptor.APPENDED_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.CAPACITY_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.COMMIT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.CREATED_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.DURATION_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.HEADER_LENGTH;
import static dev.introducer.engine.journal.JournalDescriptor.LOCAL_ID_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.LOCAL_NAT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.MAGIC;
import static dev.introducer.engine.journal.JournalDescriptor.MAGIC_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PATH_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PEER_ID_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.PROBES_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.RECORD_LENGTH;
import static dev.introducer.engine.journal.JournalDescriptor.RECORD_LENGTH_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.REMOTE_NAT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.RESULT_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.STRATEGY_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.TIME_OFFSET;
import static dev.introducer.engine.journal.JournalDescriptor.VERSION;
import static dev.introducer.engine.journal.JournalDescriptor.VERSION_OFFSET;

/**
 * Appends connection attempts to a memory-mapped journal file ({@link JournalDescriptor} has the layout). Opening
 * creates the file, or continues an existing one after checking its header. Appending allocates nothing and
 * takes no lock: it claims a sequence with an atomic add, so several engines, in one process or several, may
 * share a file. It is called once per finished attempt, never on the data path.
 * {@link #append} may be called from any thread.
 */
public final class AttemptJournal implements AutoCloseable
{
    /** Serialises creation within this process: file locks are per process, not per thread. */
    private static final Object CREATION_LOCK = new Object();

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private volatile boolean closed;

    private AttemptJournal(final Path path, final MappedByteBuffer mapped, final int capacity)
    {
        this.path = path;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.capacity = capacity;
    }

    /**
     * Opens a journal with {@link JournalDescriptor#CAPACITY_DEFAULT} records, creating it (and its directory) if
     * it does not exist.
     *
     * @param path the file.
     * @return the journal.
     * @throws JournalException if the file cannot be created, or exists and is not a valid journal.
     */
    public static AttemptJournal open(final Path path)
    {
        return open(path, JournalDescriptor.CAPACITY_DEFAULT);
    }

    /**
     * Opens a journal, creating it (and its directory) with {@code capacity} records if it does not exist. An
     * existing journal keeps its own capacity.
     *
     * @param path     the file.
     * @param capacity records in a new file, a power of two.
     * @return the journal.
     * @throws JournalException if the file cannot be created, or exists and is not a valid journal.
     */
    public static AttemptJournal open(final Path path, final int capacity)
    {
        final String badCapacity = JournalDescriptor.checkCapacity(capacity);
        if (null != badCapacity)
        {
            throw new JournalException(path + ": " + badCapacity, null);
        }
        synchronized (CREATION_LOCK)
        {
            try
            {
                final Path parent = path.toAbsolutePath().getParent();
                if (null != parent)
                {
                    Files.createDirectories(parent);
                }
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE))
                {
                    final FileLock lock = channel.lock();
                    try
                    {
                        return mapLocked(path, channel, capacity);
                    }
                    finally
                    {
                        lock.release();
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new JournalException(path + ": cannot open the attempt journal: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Initialises the file if it is new, checks its header and maps it. The caller holds the file's lock: a file
     * of length 0 is then ours to initialise, since no other writer has seen it.
     */
    private static AttemptJournal mapLocked(final Path path, final FileChannel channel, final int capacity)
        throws IOException
    {
        final boolean create = 0 == channel.size();
        if (create)
        {
            channel.write(ByteBuffer.wrap(new byte[1]), JournalDescriptor.fileLength(capacity) - 1);
        }
        final long length = channel.size();
        if (length < HEADER_LENGTH)
        {
            throw new JournalException(path + ": truncated: " + length + " bytes, shorter than a header", null);
        }
        final MappedByteBuffer headerMap = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH);
        final UnsafeBuffer header = new UnsafeBuffer(headerMap);
        if (create)
        {
            header.putInt(VERSION_OFFSET, VERSION);
            header.putInt(RECORD_LENGTH_OFFSET, RECORD_LENGTH);
            header.putInt(CAPACITY_OFFSET, capacity);
            header.putLong(APPENDED_OFFSET, 0);
            header.putLong(CREATED_OFFSET, System.currentTimeMillis());
            // The magic last: a reader that sees it sees a whole header.
            header.putIntRelease(MAGIC_OFFSET, MAGIC);
        }
        final String problem = JournalDescriptor.checkHeader(header, length);
        final int fileCapacity = header.getInt(CAPACITY_OFFSET);
        IoUtil.unmap(headerMap);
        if (null != problem)
        {
            throw new JournalException(path + ": " + problem, null);
        }
        // Only what the header describes: a longer file's tail is not ours to map.
        final MappedByteBuffer mapped = channel.map(
            FileChannel.MapMode.READ_WRITE, 0, JournalDescriptor.fileLength(fileCapacity));
        return new AttemptJournal(path, mapped, fileCapacity);
    }

    /**
     * Appends one attempt. Allocates nothing; does nothing once closed.
     *
     * @param epochMs    when the attempt ended, wall-clock ms.
     * @param localNat   our NAT type.
     * @param remoteNat  the peer's NAT type, as the introduction said.
     * @param strategy   the strategy tried, or null.
     * @param result     how it ended.
     * @param path       the path when connected, else null.
     * @param durationNs from the introduction to the outcome; 0 when no attempt ran.
     * @param probes     probes sent.
     * @param localId    our id.
     * @param peerId     the peer's id.
     * @return the record's sequence, or -1 if the journal is closed.
     */
    public long append(
        final long epochMs,
        final NatType localNat,
        final NatType remoteNat,
        final Strategy strategy,
        final AttemptResult result,
        final PathType path,
        final long durationNs,
        final int probes,
        final Id32 localId,
        final Id32 peerId)
    {
        if (closed)
        {
            return -1;
        }
        final UnsafeBuffer buffer = this.buffer;
        final long sequence = buffer.getAndAddLong(APPENDED_OFFSET, 1);
        final int offset = JournalDescriptor.recordOffset(sequence, capacity);
        buffer.putLong(offset + COMMIT_OFFSET, -(sequence + 1));
        // The in-progress mark must be visible before any field changes, or a reader could take a half-written
        // record for the old one.
        VarHandle.releaseFence();
        buffer.putLong(offset + TIME_OFFSET, epochMs);
        buffer.putLong(offset + DURATION_OFFSET, durationNs);
        buffer.putInt(offset + PROBES_OFFSET, probes);
        buffer.putByte(offset + LOCAL_NAT_OFFSET, (byte)localNat.code());
        buffer.putByte(offset + REMOTE_NAT_OFFSET, (byte)remoteNat.code());
        buffer.putByte(offset + STRATEGY_OFFSET, (byte)JournalDescriptor.strategyCode(strategy));
        buffer.putByte(offset + PATH_OFFSET, (byte)JournalDescriptor.pathCode(path));
        buffer.putByte(offset + RESULT_OFFSET, (byte)result.code());
        buffer.putLong(offset + LOCAL_ID_OFFSET, null == localId ? 0 : localId.word(0));
        buffer.putLong(offset + PEER_ID_OFFSET, null == peerId ? 0 : peerId.word(0));
        buffer.putLongRelease(offset + COMMIT_OFFSET, sequence + 1);
        return sequence;
    }

    /**
     * Sequences claimed so far, by every writer of the file.
     *
     * @return the count.
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
     * The file.
     *
     * @return its path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Unmaps the file; later appends do nothing. Call it only once no thread appends any more.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(mapped);
        }
    }
}
