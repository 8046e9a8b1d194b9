package dev.introducer.protocol;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A 32-byte identifier: peer ids and swarm ids. Immutable, compared by value, held as four longs so that
 * comparing one with bytes in a frame allocates nothing.
 */
public final class Id32 implements Comparable<Id32>
{
    /** Length on the wire. */
    public static final int LENGTH = 32;
    /** The all-zero id, which frames use for "none". */
    public static final Id32 ZERO = new Id32(0, 0, 0, 0);

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    /**
     * An id from its four big-endian words.
     *
     * @param w0 bytes 0..7.
     * @param w1 bytes 8..15.
     * @param w2 bytes 16..23.
     * @param w3 bytes 24..31.
     */
    public Id32(final long w0, final long w1, final long w2, final long w3)
    {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /**
     * Reads an id from a buffer.
     *
     * @param buffer to read.
     * @param offset of the 32 bytes.
     * @return a new id.
     */
    public static Id32 read(final DirectBuffer buffer, final int offset)
    {
        return new Id32(
            buffer.getLong(offset, BIG), buffer.getLong(offset + 8, BIG),
            buffer.getLong(offset + 16, BIG), buffer.getLong(offset + 24, BIG));
    }

    /**
     * A random id.
     *
     * @param random source.
     * @return a new id.
     */
    public static Id32 random(final RandomGenerator random)
    {
        return new Id32(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /**
     * The SHA-256 of a UTF-8 string, e.g. a swarm name.
     *
     * @param text to hash.
     * @return a new id.
     */
    public static Id32 sha256(final String text)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return fromBytes(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /**
     * An id from 32 bytes.
     *
     * @param bytes exactly 32.
     * @return a new id.
     */
    public static Id32 fromBytes(final byte[] bytes)
    {
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("an id is 32 bytes, got " + bytes.length);
        }
        final long[] words = new long[4];
        for (int i = 0; i < LENGTH; i++)
        {
            words[i >> 3] = (words[i >> 3] << 8) | (bytes[i] & 0xFF);
        }
        return new Id32(words[0], words[1], words[2], words[3]);
    }

    /**
     * Parses 64 hex digits.
     *
     * @param hex the id.
     * @return a new id.
     * @throws IllegalArgumentException when the text is not 64 hex digits.
     */
    public static Id32 fromHex(final String hex)
    {
        if (hex.length() != 2 * LENGTH)
        {
            throw new IllegalArgumentException("an id is 64 hex digits, got " + hex.length() + " characters");
        }
        final byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++)
        {
            final int hi = Character.digit(hex.charAt(2 * i), 16);
            final int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("not a hex id: '" + hex + "'");
            }
            bytes[i] = (byte)((hi << 4) | lo);
        }
        return fromBytes(bytes);
    }

    /**
     * Writes the 32 bytes.
     *
     * @param buffer to write to.
     * @param offset where.
     */
    public void write(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putLong(offset, w0, BIG);
        buffer.putLong(offset + 8, w1, BIG);
        buffer.putLong(offset + 16, w2, BIG);
        buffer.putLong(offset + 24, w3, BIG);
    }

    /**
     * Whether the 32 bytes at an offset are this id, without allocating.
     *
     * @param buffer to read.
     * @param offset of the 32 bytes.
     * @return true if equal.
     */
    public boolean equalsAt(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, BIG) == w0 && buffer.getLong(offset + 8, BIG) == w1 &&
            buffer.getLong(offset + 16, BIG) == w2 && buffer.getLong(offset + 24, BIG) == w3;
    }

    /**
     * Whether this is the zero id.
     *
     * @return true if all bytes are zero.
     */
    public boolean isZero()
    {
        return (w0 | w1 | w2 | w3) == 0;
    }

    /**
     * Word {@code i} (0..3), big-endian.
     *
     * @param i index.
     * @return the word.
     */
    public long word(final int i)
    {
        switch (i)
        {
            case 0: return w0;
            case 1: return w1;
            case 2: return w2;
            case 3: return w3;
            default: throw new IndexOutOfBoundsException(i);
        }
    }

    /**
     * The 32 bytes.
     *
     * @return a new array.
     */
    public byte[] toBytes()
    {
        final byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++)
        {
            bytes[i] = (byte)(word(i >> 3) >>> (56 - 8 * (i & 7)));
        }
        return bytes;
    }

    /**
     * 64 lower-case hex digits.
     *
     * @return the hex form.
     */
    public String toHex()
    {
        final StringBuilder sb = new StringBuilder(2 * LENGTH);
        for (final byte b : toBytes())
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * The first 8 hex digits, for logs.
     *
     * @return a short form.
     */
    public String shortHex()
    {
        return toHex().substring(0, 8);
    }

    /**
     * Unsigned lexicographic order of the bytes.
     *
     * @param other id.
     * @return the comparison.
     */
    public int compareTo(final Id32 other)
    {
        int c = Long.compareUnsigned(w0, other.w0);
        if (c == 0)
        {
            c = Long.compareUnsigned(w1, other.w1);
        }
        if (c == 0)
        {
            c = Long.compareUnsigned(w2, other.w2);
        }
        if (c == 0)
        {
            c = Long.compareUnsigned(w3, other.w3);
        }
        return c;
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof Id32))
        {
            return false;
        }
        final Id32 that = (Id32)other;
        return w0 == that.w0 && w1 == that.w1 && w2 == that.w2 && w3 == that.w3;
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        final long h = w0 ^ (w1 * 31) ^ (w2 * 961) ^ (w3 * 29791);
        return (int)(h ^ (h >>> 32));
    }

    /**
     * The hex form.
     *
     * @return 64 hex digits.
     */
    public String toString()
    {
        return toHex();
    }
}
