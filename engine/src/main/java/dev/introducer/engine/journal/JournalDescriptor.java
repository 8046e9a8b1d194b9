package dev.introducer.engine.journal;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;

/**
 * The layout of an attempt journal file: a 64-byte header, then a ring of {@code capacity} 64-byte records
 * (capacity a power of two). Every field is in the machine's native byte order (little-endian on x86-64 and
 * aarch64); a file is read on the machine that wrote it.
 * <pre>
 * Header
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                        magic "IAJ1" (u32)                     |  0
 * +---------------------------------------------------------------+
 * |                          version (u32)                        |  4
 * +---------------------------------------------------------------+
 * |                     record length (u32) = 64                  |  8
 * +---------------------------------------------------------------+
 * |                  capacity in records (u32, 2^n)               | 12
 * +---------------------------------------------------------------+
 * |           appended (u64): sequences claimed so far            | 16
 * +---------------------------------------------------------------+
 * |                    created, epoch ms (u64)                    | 24
 * +---------------------------------------------------------------+
 * |                        reserved (32 bytes)                    | 32
 * +---------------------------------------------------------------+ 64
 *
 * Record of sequence s, at 64 + (s mod capacity) * 64
 * +---------------+---------------+---------------+---------------+
 * | commit (i64): 0 never written, -(s+1) being written, s+1 done |  0
 * +---------------------------------------------------------------+
 * |                 time of completion, epoch ms (i64)            |  8
 * +---------------------------------------------------------------+
 * |        duration, ns from the CONNECT to the outcome (i64)     | 16
 * +---------------------------------------------------------------+
 * |                          probes (i32)                         | 24
 * +---------------+---------------+---------------+---------------+
 * | local nat (u8)| remote nat(u8)| strategy (u8) |   path (u8)   | 28
 * +---------------+---------------+---------------+---------------+
 * |  result (u8)  |                reserved (7 bytes)             | 32
 * +---------------+-----------------------------------------------+
 * |            local id prefix (first 8 bytes, big-endian)        | 40
 * +---------------------------------------------------------------+
 * |            peer id prefix (first 8 bytes, big-endian)         | 48
 * +---------------------------------------------------------------+
 * |                          reserved (u64)                       | 56
 * +---------------------------------------------------------------+ 64
 * </pre>
 * NAT codes are {@link dev.introducer.protocol.NatType#code()}; result is {@link AttemptResult#code()}; strategy
 * is 0 for none, 1 direct, 2 spray-easy, 3 spray-hard, 4 local, 5 relay; path 0 for none, 1 direct, 2 local,
 * 3 relay. The codes are fixed here, not taken from the enums' order, so that a new constant cannot change what
 * an old file means.
 * <p>
 * <b>Appending</b> (any number of writers, in any number of processes): claim a sequence with an atomic add on
 * {@code appended}, store {@code -(s+1)} in the slot's commit word, write the fields, then store {@code s+1} with
 * a release store. <b>Reading</b> is a seqlock: read the commit word (acquire), the fields, then the commit word
 * again; the record is whole only if both reads were {@code s+1}. A writer that died mid-record leaves
 * {@code -(s+1)}, which readers skip as incomplete.
 * <p>
 * <b>When full</b> the ring wraps: record {@code s} overwrites {@code s - capacity}, so the file keeps the last
 * {@code capacity} attempts and its size never changes; {@code appended} keeps counting, and a reader reports
 * how many were overwritten.
 */
public final class JournalDescriptor
{
    /** "IAJ1" read as a little-endian int. */
    public static final int MAGIC = 0x314A4149;
    /** The format's version. */
    public static final int VERSION = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the record length. */
    public static final int RECORD_LENGTH_OFFSET = 8;
    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 12;
    /** Offset of the count of claimed sequences. */
    public static final int APPENDED_OFFSET = 16;
    /** Offset of the creation time. */
    public static final int CREATED_OFFSET = 24;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 64;

    /** Offset of the commit word in a record. */
    public static final int COMMIT_OFFSET = 0;
    /** Offset of the completion time in a record. */
    public static final int TIME_OFFSET = 8;
    /** Offset of the duration in a record. */
    public static final int DURATION_OFFSET = 16;
    /** Offset of the probe count in a record. */
    public static final int PROBES_OFFSET = 24;
    /** Offset of our NAT type in a record. */
    public static final int LOCAL_NAT_OFFSET = 28;
    /** Offset of the remote peer's NAT type in a record. */
    public static final int REMOTE_NAT_OFFSET = 29;
    /** Offset of the strategy in a record. */
    public static final int STRATEGY_OFFSET = 30;
    /** Offset of the path in a record. */
    public static final int PATH_OFFSET = 31;
    /** Offset of the result in a record. */
    public static final int RESULT_OFFSET = 32;
    /** Offset of our id's prefix in a record. */
    public static final int LOCAL_ID_OFFSET = 40;
    /** Offset of the peer id's prefix in a record. */
    public static final int PEER_ID_OFFSET = 48;
    /** Length of a record. */
    public static final int RECORD_LENGTH = 64;

    /** Default capacity: 65,536 records, a 4 MiB file. */
    public static final int CAPACITY_DEFAULT = 65_536;
    /** Smallest capacity. */
    public static final int CAPACITY_MIN = 16;
    /** Largest capacity: 16 Mi records, a 1 GiB file. */
    public static final int CAPACITY_MAX = 1 << 24;

    /** Strategy by stored code; index 0 is none. A new strategy needs a new code here and in the javadoc. */
    private static final Strategy[] STRATEGIES =
        {null, Strategy.DIRECT, Strategy.SPRAY_EASY_SIDE, Strategy.SPRAY_HARD_SIDE, Strategy.LOCAL, Strategy.RELAY};
    /** Path by stored code; index 0 is none. */
    private static final PathType[] PATHS = {null, PathType.DIRECT, PathType.LOCAL, PathType.RELAY};
    private static final int[] STRATEGY_CODES = codes(Strategy.values().length, STRATEGIES);
    private static final int[] PATH_CODES = codes(PathType.values().length, PATHS);

    private JournalDescriptor()
    {
    }

    /**
     * The file length for a capacity.
     *
     * @param capacity records.
     * @return bytes.
     */
    public static long fileLength(final int capacity)
    {
        return HEADER_LENGTH + (long)capacity * RECORD_LENGTH;
    }

    /**
     * The offset of the slot holding a sequence.
     *
     * @param sequence the record's sequence.
     * @param capacity records, a power of two.
     * @return the offset in the file.
     */
    public static int recordOffset(final long sequence, final int capacity)
    {
        return HEADER_LENGTH + (int)(sequence & (capacity - 1)) * RECORD_LENGTH;
    }

    /**
     * Checks a capacity.
     *
     * @param capacity records.
     * @return null if valid, else why not.
     */
    public static String checkCapacity(final long capacity)
    {
        if (capacity < CAPACITY_MIN || capacity > CAPACITY_MAX || !BitUtil.isPowerOfTwo(capacity))
        {
            return "capacity " + capacity + " is not a power of two in " + CAPACITY_MIN + ".." + CAPACITY_MAX;
        }
        return null;
    }

    /**
     * Checks the header of a mapped file. Never throws: untrusted bytes get a message.
     *
     * @param buffer     the file's bytes (at least {@link #HEADER_LENGTH} of them).
     * @param fileLength the file's length.
     * @return null if the header is valid and the file long enough, else what is wrong.
     */
    public static String checkHeader(final DirectBuffer buffer, final long fileLength)
    {
        final int magic = buffer.getInt(MAGIC_OFFSET);
        if (MAGIC != magic)
        {
            return 0 == magic ? "not an attempt journal, or not initialised yet (magic is 0)" :
                "not an attempt journal (magic 0x" + Integer.toHexString(magic) + ")";
        }
        final int version = buffer.getInt(VERSION_OFFSET);
        if (VERSION != version)
        {
            return "journal version " + version + " is not supported (this build reads version " + VERSION + ")";
        }
        final int recordLength = buffer.getInt(RECORD_LENGTH_OFFSET);
        if (RECORD_LENGTH != recordLength)
        {
            return "record length " + recordLength + " is not " + RECORD_LENGTH;
        }
        final int capacity = buffer.getInt(CAPACITY_OFFSET);
        final String badCapacity = checkCapacity(capacity);
        if (null != badCapacity)
        {
            return badCapacity;
        }
        if (fileLength < fileLength(capacity))
        {
            return "truncated: " + fileLength + " bytes, the header says " + fileLength(capacity);
        }
        if (buffer.getLong(APPENDED_OFFSET) < 0)
        {
            return "corrupt: negative record count";
        }
        return null;
    }

    /**
     * The stored code of a strategy.
     *
     * @param strategy or null.
     * @return its code; 0 for none (and for a strategy this format has no code for).
     */
    public static int strategyCode(final Strategy strategy)
    {
        return null == strategy ? 0 : STRATEGY_CODES[strategy.ordinal()];
    }

    /**
     * The strategy of a stored code.
     *
     * @param code from a record.
     * @return the strategy, or null for none or an invalid code.
     */
    public static Strategy strategy(final int code)
    {
        return code >= 0 && code < STRATEGIES.length ? STRATEGIES[code] : null;
    }

    /**
     * Whether a stored strategy code is valid.
     *
     * @param code from a record.
     * @return true for 0 (none) and every strategy.
     */
    public static boolean isValidStrategy(final int code)
    {
        return code >= 0 && code < STRATEGIES.length;
    }

    /**
     * The stored code of a path.
     *
     * @param path or null.
     * @return its code; 0 for none (and for a path this format has no code for).
     */
    public static int pathCode(final PathType path)
    {
        return null == path ? 0 : PATH_CODES[path.ordinal()];
    }

    /**
     * The path of a stored code.
     *
     * @param code from a record.
     * @return the path, or null for none or an invalid code.
     */
    public static PathType path(final int code)
    {
        return code >= 0 && code < PATHS.length ? PATHS[code] : null;
    }

    /**
     * Whether a stored path code is valid.
     *
     * @param code from a record.
     * @return true for 0 (none) and every path.
     */
    public static boolean isValidPath(final int code)
    {
        return code >= 0 && code < PATHS.length;
    }

    private static <E extends Enum<E>> int[] codes(final int count, final E[] byCode)
    {
        final int[] codes = new int[count];
        for (int code = 1; code < byCode.length; code++)
        {
            codes[byCode[code].ordinal()] = code;
        }
        return codes;
    }
}
