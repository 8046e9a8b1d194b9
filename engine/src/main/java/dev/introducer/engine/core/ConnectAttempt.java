package dev.introducer.engine.core;

import dev.introducer.engine.Strategy;

/**
 * One attempt to connect to a peer with one {@link Strategy}. It carries the introduction tokens that
 * authenticate the peer's probes (two introducers pairing the same two peers choose different tokens, so an
 * attempt accepts a few), counts its probes, and runs its strategy on timer calls.
 */
abstract class ConnectAttempt
{
    /** Returned by {@link #onTimer} when the attempt needs no timer. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final Peer peer;
    final Strategy strategy;
    final long startNs;
    final long deadlineNs;
    private final IntroductionTokens tokens = new IntroductionTokens();
    int probes;
    long nextDueNs;
    private boolean connected;

    ConnectAttempt(final Peer peer, final Strategy strategy, final long token, final long startNs,
        final long deadlineNs)
    {
        this.peer = peer;
        this.strategy = strategy;
        this.startNs = startNs;
        this.deadlineNs = deadlineNs;
        addToken(token);
    }

    final long token()
    {
        return tokens.first();
    }

    final boolean acceptsToken(final long token)
    {
        return tokens.contains(token);
    }

    final void addToken(final long token)
    {
        if (0 != token)
        {
            tokens.add(token);
        }
    }

    /**
     * Takes the tokens of CONNECTs that waited for this attempt.
     */
    final void addTokens(final IntroductionTokens waiting)
    {
        tokens.addAll(waiting);
    }

    /**
     * The accepted tokens, which a connected session keeps accepting.
     */
    final IntroductionTokens tokens()
    {
        return tokens;
    }

    final boolean isConnected()
    {
        return connected;
    }

    /**
     * The peer answered on {@code socketId}: the attempt won. Subclasses release what they no longer need.
     *
     * @param nowNs    the time.
     * @param socketId the socket the answer came in on.
     */
    void onConnected(final long nowNs, final int socketId)
    {
        connected = true;
    }

    /**
     * Runs the strategy.
     *
     * @param nowNs the time.
     * @return the next time this attempt wants a call, or {@link #NO_DEADLINE}.
     */
    abstract long onTimer(long nowNs);

    /**
     * Whether the attempt has nothing left to do after it connected (a hard-side pool still has losers to close).
     *
     * @return true when it can be dropped.
     */
    boolean isDone()
    {
        return connected;
    }

    /**
     * Releases everything: the attempt failed, or the engine closes. Must be safe to call twice.
     */
    abstract void close();
}
