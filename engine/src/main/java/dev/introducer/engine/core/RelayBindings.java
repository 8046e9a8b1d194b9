package dev.introducer.engine.core;

import dev.introducer.protocol.Endpoint;

/**
 * A relayed peer's path state: the relay sessions it is reached through (every session the introducers offered for
 * the pair and we bound, each at its relay, with the channel the relay gave it and whether the relay's last answer
 * said both legs were bound), the one we send on, and when we last tried to move the peer to a direct path.
 * {@link RelayPath} moves the peer between them.
 * <p>
 * Two introducers that each run a relay offer a pair two sessions at two relays, and the peers hear the relays'
 * answers in any order. Each peer therefore keeps every session bound (it refreshes them all), accepts data on every
 * one of them, and sends on the session with the lowest id among those with both legs bound
 * ({@link #lowestComplete()}): both peers see the same session ids, so they converge on the same one.
 */
final class RelayBindings
{
    /** Sessions bound at most for one peer: one per introducer's offer. */
    static final int MAX_SESSIONS = 4;

    private final Endpoint[] relays = new Endpoint[MAX_SESSIONS];
    private final long[] sessionIds = new long[MAX_SESSIONS];
    private final byte[][] binds = new byte[MAX_SESSIONS][];
    private final int[] channels = new int[MAX_SESSIONS];
    private final int[] socketIds = new int[MAX_SESSIONS];
    private final boolean[] complete = new boolean[MAX_SESSIONS];
    private int count;
    private int sendChannel;
    private long sendSessionId;
    private long upgradeTriedNs;

    RelayBindings()
    {
        for (int i = 0; i < MAX_SESSIONS; i++)
        {
            relays[i] = new Endpoint();
        }
    }

    int count()
    {
        return count;
    }

    /**
     * Adds a bound session.
     *
     * @return its index, or -1 when there is no room.
     */
    int add(final Endpoint relay, final long sessionId, final byte[] bind, final int socketId, final int channel)
    {
        if (count == MAX_SESSIONS)
        {
            return -1;
        }
        final int index = count++;
        relays[index].set(relay);
        sessionIds[index] = sessionId;
        binds[index] = bind;
        socketIds[index] = socketId;
        channels[index] = channel;
        complete[index] = false;
        return index;
    }

    /**
     * Forgets a session (its bind was refused): the last one takes its place.
     */
    void remove(final int index)
    {
        final int last = --count;
        if (index != last)
        {
            relays[index].set(relays[last]);
            sessionIds[index] = sessionIds[last];
            binds[index] = binds[last];
            socketIds[index] = socketIds[last];
            channels[index] = channels[last];
            complete[index] = complete[last];
        }
        binds[last] = null;
    }

    /**
     * Forgets every session (the channels are forgotten by {@link PeerTable}); the one we send on stays until
     * {@link #sendOn} changes it.
     */
    void clear()
    {
        for (int i = 0; i < count; i++)
        {
            binds[i] = null;
        }
        count = 0;
    }

    /**
     * The channel we send on.
     *
     * @return the channel id, 0 when the peer is not relayed.
     */
    int sendChannel()
    {
        return sendChannel;
    }

    /**
     * The session of {@link #sendChannel()}.
     */
    long sendSessionId()
    {
        return sendSessionId;
    }

    /**
     * Sends on a session from now on; channel 0 and session 0: the peer is not relayed any more.
     */
    void sendOn(final int channel, final long sessionId)
    {
        this.sendChannel = channel;
        this.sendSessionId = sessionId;
    }

    /**
     * When we last tried to move this relayed peer to a direct path (or when it was relayed).
     */
    long upgradeTriedNs()
    {
        return upgradeTriedNs;
    }

    void upgradeTriedNs(final long nowNs)
    {
        this.upgradeTriedNs = nowNs;
    }

    int indexOfSession(final long sessionId)
    {
        for (int i = 0; i < count; i++)
        {
            if (sessionIds[i] == sessionId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether relayed data on a channel, from a source, belongs to one of these sessions: the channel is one the
     * relay gave us and the datagram comes from that session's relay.
     */
    boolean carries(final int channel, final Endpoint source)
    {
        for (int i = 0; i < count; i++)
        {
            if (channels[i] == channel && relays[i].equals(source))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The session to send on: the lowest session id, unsigned, among those with both legs bound.
     *
     * @return its index, or -1 when none has both legs.
     */
    int lowestComplete()
    {
        int best = -1;
        for (int i = 0; i < count; i++)
        {
            if (complete[i] && (best < 0 || Long.compareUnsigned(sessionIds[i], sessionIds[best]) < 0))
            {
                best = i;
            }
        }
        return best;
    }

    Endpoint relay(final int index)
    {
        return relays[index];
    }

    long sessionId(final int index)
    {
        return sessionIds[index];
    }

    byte[] bind(final int index)
    {
        return binds[index];
    }

    int socketId(final int index)
    {
        return socketIds[index];
    }

    int channel(final int index)
    {
        return channels[index];
    }

    void channel(final int index, final int channel)
    {
        channels[index] = channel;
    }

    boolean complete(final int index)
    {
        return complete[index];
    }

    void complete(final int index, final boolean bothLegs)
    {
        complete[index] = bothLegs;
    }
}
