package dev.introducer.engine.core;

/**
 * The introduction tokens that authenticate one peer's probes: two introducers pairing the same two peers choose
 * different tokens, so an attempt, a session and a CONNECT waiting for our NAT type each accept a few.
 */
final class IntroductionTokens
{
    /** Tokens kept at most: the introductions of one pair by every introducer of a typical fleet. */
    static final int MAX = 4;

    private final long[] tokens = new long[MAX];
    private int count;

    /**
     * Keeps a token, unless it is known already or there is no room.
     */
    void add(final long token)
    {
        if (count < MAX && !contains(token))
        {
            tokens[count++] = token;
        }
    }

    /**
     * Keeps every token of another set, but no 0 (no token).
     */
    void addAll(final IntroductionTokens other)
    {
        for (int i = 0; i < other.count; i++)
        {
            if (0 != other.tokens[i])
            {
                add(other.tokens[i]);
            }
        }
    }

    /**
     * Becomes a copy of another set.
     */
    void set(final IntroductionTokens other)
    {
        System.arraycopy(other.tokens, 0, tokens, 0, other.count);
        count = other.count;
    }

    boolean contains(final long token)
    {
        for (int i = 0; i < count; i++)
        {
            if (tokens[i] == token)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The first token kept: the one our own pings carry.
     *
     * @return the token, 0 when there is none.
     */
    long first()
    {
        return count > 0 ? tokens[0] : 0;
    }

    boolean isEmpty()
    {
        return 0 == count;
    }

    void clear()
    {
        count = 0;
    }
}
