package dev.introducer.engine.core;

/**
 * CONNECTs for one peer that arrived while our NAT type was unknown: they wait for NAT discovery to finish, then
 * start one attempt. Every token is kept: two introducers' CONNECTs carry different tokens, and keeping only the
 * last (as a first version did) left each peer of a pair with the other's wrong one.
 */
final class PendingConnect
{
    private final IntroductionTokens tokens = new IntroductionTokens();
    private long sinceNs;
    private int flags;

    /**
     * Keeps a CONNECT for later.
     *
     * @param token its introduction token.
     * @param flags its flags (all kept CONNECTs' flags are merged).
     * @param nowNs when it arrived; the first one's time is what times out.
     */
    void add(final long token, final int flags, final long nowNs)
    {
        if (tokens.isEmpty())
        {
            sinceNs = nowNs;
        }
        this.flags |= flags;
        tokens.add(token);
    }

    boolean isPending()
    {
        return !tokens.isEmpty();
    }

    /**
     * The kept tokens; the attempt that starts takes them all ({@link ConnectAttempt#addTokens}).
     */
    IntroductionTokens tokens()
    {
        return tokens;
    }

    long sinceNs()
    {
        return sinceNs;
    }

    int flags()
    {
        return flags;
    }

    void clear()
    {
        tokens.clear();
        flags = 0;
        sinceNs = 0;
    }
}
