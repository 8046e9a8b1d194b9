package dev.introducer.tools;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A node's counters in one memory-mapped file, in the style of Aeron's CnC file, so that {@code introducer stat}
 * and monitoring read them from another process without asking the node anything.
 * <p>
 * Layout: a {@value #HEADER_LENGTH}-byte header (magic, layout version, pid, start time, heartbeat, stop time, the
 * node's id), then Agrona's counters metadata ({@value #COUNTERS_CAPACITY} records of
 * {@link CountersReader#METADATA_LENGTH} bytes), then the values ({@link CountersReader#COUNTER_LENGTH} bytes each).
 * Every counter's type id is {@link #TYPE_COUNTER} or {@link #TYPE_GAUGE}; its key is the Prometheus sample name
 * (for example {@code introducer_engine_dropped_total{reason="malformed"}}) and its label the human text that
 * {@code stat} prints. The writer publishes the magic last, so a reader never sees a half-made file as valid.
 */
final class CountersFile implements AutoCloseable
{
    /** "INTC" in the first four bytes. */
    static final int MAGIC = 0x494E5443;
    /** The layout version; a reader refuses any other. */
    static final int LAYOUT_VERSION = 1;
    /** How many counters the file holds. */
    static final int COUNTERS_CAPACITY = 128;
    /** Bytes before the counters metadata. */
    static final int HEADER_LENGTH = 128;
    /** A counter: a monotonic count, exported with the {@code _total} suffix. */
    static final int TYPE_COUNTER = 1;
    /** A gauge: a value that goes up and down. */
    static final int TYPE_GAUGE = 2;
    /** A running node's heartbeat older than this is stale: the file may be reused. */
    static final long STALE_HEARTBEAT_MS_DEFAULT = 5_000;

    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int PID_OFFSET = 8;
    private static final int START_TIME_OFFSET = 16;
    private static final int HEARTBEAT_OFFSET = 24;
    private static final int STOP_TIME_OFFSET = 32;
    private static final int ID_OFFSET = 40;
    private static final int ID_LENGTH = 64;
    private static final int METADATA_LENGTH = COUNTERS_CAPACITY * CountersReader.METADATA_LENGTH;
    private static final int VALUES_LENGTH = COUNTERS_CAPACITY * CountersReader.COUNTER_LENGTH;
    private static final int FILE_LENGTH = HEADER_LENGTH + METADATA_LENGTH + VALUES_LENGTH;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader reader;
    private final CountersManager manager;

    private CountersFile(final Path path, final MappedByteBuffer mapped, final boolean writable)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, METADATA_LENGTH);
        final UnsafeBuffer values = new UnsafeBuffer(mapped, HEADER_LENGTH + METADATA_LENGTH, VALUES_LENGTH);
        this.manager = writable ? new CountersManager(metadata, values, StandardCharsets.US_ASCII) : null;
        this.reader = writable ? manager : new CountersReader(metadata, values, StandardCharsets.US_ASCII);
    }

    /**
     * Creates (or replaces) the counters file of a starting node.
     *
     * @param path      where; missing directories are made.
     * @param nodeIdHex the node's id, 64 hex digits.
     * @param nowMs     the start time, epoch milliseconds.
     * @return the file, mapped read-write, with no counters yet.
     * @throws UserException when the file is in use by a running node or cannot be made.
     */
    static CountersFile create(final Path path, final String nodeIdHex, final long nowMs)
    {
        refuseIfInUse(path, nowMs);
        final MappedByteBuffer mapped;
        try
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(path);
            mapped = IoUtil.mapNewFile(path.toFile(), FILE_LENGTH);
        }
        catch (final Exception ex)
        {
            // IoUtil rethrows IOException unchecked, so catch them all: every cause here is the file system's.
            throw new UserException("cannot create the counters file " + path + ": " + ErrorHandlers.oneLine(ex));
        }
        final CountersFile file = new CountersFile(path, mapped, true);
        final UnsafeBuffer header = file.header;
        header.putInt(VERSION_OFFSET, LAYOUT_VERSION);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_TIME_OFFSET, nowMs);
        header.putLong(HEARTBEAT_OFFSET, nowMs);
        header.putStringWithoutLengthAscii(ID_OFFSET, nodeIdHex.substring(0, Math.min(ID_LENGTH, nodeIdHex.length())));
        header.putIntRelease(MAGIC_OFFSET, MAGIC);
        return file;
    }

    /**
     * Maps an existing counters file read-only, as another process does.
     *
     * @param path the file.
     * @return the file, for reading.
     * @throws UserException when it is missing, unreadable or not a counters file of this layout.
     */
    static CountersFile openReadOnly(final Path path)
    {
        final File file = path.toFile();
        if (!file.isFile())
        {
            throw new UserException("no counters file at " + path + " (is the node running? see --counters-file)");
        }
        if (file.length() < FILE_LENGTH)
        {
            throw new UserException(path + " is not a counters file (" + file.length() + " bytes)");
        }
        final MappedByteBuffer mapped;
        try
        {
            mapped = IoUtil.mapExistingFile(file, FileChannel.MapMode.READ_ONLY, "counters", 0, FILE_LENGTH);
        }
        catch (final Exception ex)
        {
            throw new UserException("cannot read the counters file " + path + ": " + ErrorHandlers.oneLine(ex));
        }
        final CountersFile counters = new CountersFile(path, mapped, false);
        final int magic = counters.header.getIntAcquire(MAGIC_OFFSET);
        final int version = counters.header.getInt(VERSION_OFFSET);
        if (MAGIC != magic || LAYOUT_VERSION != version)
        {
            counters.close();
            throw new UserException(path + " is not a counters file of layout " + LAYOUT_VERSION +
                " (magic " + Integer.toHexString(magic) + ", version " + version + ")");
        }
        return counters;
    }

    /**
     * Adds a counter; only on a file made by {@link #create}.
     *
     * @param type       {@link #TYPE_COUNTER} or {@link #TYPE_GAUGE}.
     * @param sampleName the Prometheus sample name, with its labels if any.
     * @param label      what {@code stat} prints.
     * @return the counter, at zero.
     */
    AtomicCounter newCounter(final int type, final String sampleName, final String label)
    {
        return manager.newCounter(label, type, (key) -> key.putStringAscii(0, sampleName));
    }

    /**
     * The Prometheus sample name of a counter, from its key.
     *
     * @param key the key buffer {@link CountersReader#forEach(CountersReader.MetaData)} passes.
     * @return the name.
     */
    static String sampleName(final DirectBuffer key)
    {
        return key.getStringAscii(0);
    }

    /**
     * The counters, for reading (metadata, labels and values).
     *
     * @return the reader.
     */
    CountersReader reader()
    {
        return reader;
    }

    /**
     * Where the file is.
     *
     * @return the path.
     */
    Path path()
    {
        return path;
    }

    /**
     * The node's process id.
     *
     * @return the pid.
     */
    long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    /**
     * The node's id, as written at start.
     *
     * @return 64 hex digits.
     */
    String nodeId()
    {
        return header.getStringWithoutLengthAscii(ID_OFFSET, ID_LENGTH).trim();
    }

    /**
     * When the node started.
     *
     * @return epoch milliseconds.
     */
    long startTimeMs()
    {
        return header.getLong(START_TIME_OFFSET);
    }

    /**
     * The node's last heartbeat.
     *
     * @return epoch milliseconds.
     */
    long heartbeatMs()
    {
        return header.getLongAcquire(HEARTBEAT_OFFSET);
    }

    /**
     * When the node stopped in an orderly way, or 0 while it runs (or if it died).
     *
     * @return epoch milliseconds, or 0.
     */
    long stopTimeMs()
    {
        return header.getLongAcquire(STOP_TIME_OFFSET);
    }

    /**
     * Records that the node is alive (the writer's heartbeat).
     *
     * @param nowMs epoch milliseconds.
     */
    void heartbeat(final long nowMs)
    {
        header.putLongRelease(HEARTBEAT_OFFSET, nowMs);
    }

    /**
     * Records an orderly stop: the last heartbeat and the stop time, then writes the pages to the file.
     *
     * @param nowMs epoch milliseconds.
     */
    void stopped(final long nowMs)
    {
        heartbeat(nowMs);
        header.putLongRelease(STOP_TIME_OFFSET, nowMs);
        mapped.force();
    }

    /**
     * Unmaps the file (it stays on disk, with the last values, for a later {@code stat}).
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    private static void refuseIfInUse(final Path path, final long nowMs)
    {
        if (!Files.isRegularFile(path))
        {
            return;
        }
        final CountersFile existing;
        try
        {
            existing = openReadOnly(path);
        }
        catch (final UserException ex)
        {
            return; // not ours or half-made: replaced
        }
        try
        {
            final boolean running = 0 == existing.stopTimeMs() &&
                nowMs - existing.heartbeatMs() < STALE_HEARTBEAT_MS_DEFAULT &&
                ProcessHandle.of(existing.pid()).map(ProcessHandle::isAlive).orElse(false);
            if (running)
            {
                throw new UserException("the counters file " + path + " is in use by a running node (pid " +
                    existing.pid() + "); give this node another --counters-file");
            }
        }
        finally
        {
            existing.close();
        }
    }
}
