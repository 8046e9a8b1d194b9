package dev.introducer.engine.core;

import java.util.function.ToIntFunction;

import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayBindFlyweight;

/**
 * Connecting through a relay: sends the bind each introducer's offer carries, again and again, until the relay
 * answers that both legs of one session are bound. Two introducers pairing the same peers offer two sessions,
 * and the peers may receive them in different orders, so the attempt binds every session offered (up to four)
 * and keeps the first one whose other leg arrives. A bind leaves from the socket of our path to the relay: the
 * main socket for a relay node, the socket we punched to a peer relay (its NAT lets in only what comes that way).
 */
final class RelayAttempt extends ConnectAttempt
{
    private static final int MAX_SESSIONS = RelayBindings.MAX_SESSIONS;

    private final FrameWriter writer;
    private final ToIntFunction<Endpoint> socketTowards;
    private final long retryNs;
    private final Endpoint[] relays = new Endpoint[MAX_SESSIONS];
    private final byte[][] binds = new byte[MAX_SESSIONS][];
    private final long[] sessionIds = new long[MAX_SESSIONS];
    private final int[] channels = new int[MAX_SESSIONS];
    private int sessions;
    private long nextSendNs;

    RelayAttempt(final Peer peer, final long startNs, final long deadlineNs, final FrameWriter writer,
        final ToIntFunction<Endpoint> socketTowards, final EngineConfiguration configuration)
    {
        super(peer, Strategy.RELAY, 0, startNs, deadlineNs);
        this.writer = writer;
        this.socketTowards = socketTowards;
        this.retryNs = configuration.relaying().relayBindRetryNs();
        this.nextSendNs = startNs;
    }

    /**
     * Adds an offered session.
     *
     * @return false if it is known already or there is no room.
     */
    boolean addSession(final Endpoint relay, final byte[] bind, final long sessionId, final long nowNs)
    {
        for (int i = 0; i < sessions; i++)
        {
            if (sessionIds[i] == sessionId)
            {
                return false;
            }
        }
        if (sessions == MAX_SESSIONS)
        {
            return false;
        }
        relays[sessions] = relay.copy();
        binds[sessions] = bind;
        sessionIds[sessions] = sessionId;
        sessions++;
        nextSendNs = nowNs;
        return true;
    }

    int sessionCount()
    {
        return sessions;
    }

    long sessionId(final int index)
    {
        return sessionIds[index];
    }

    int indexOf(final long sessionId)
    {
        for (int i = 0; i < sessions; i++)
        {
            if (sessionIds[i] == sessionId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The relay accepted our leg of a session: its channel, which the other peer may settle on.
     */
    void channel(final int index, final int channel)
    {
        channels[index] = channel;
    }

    int channel(final int index)
    {
        return channels[index];
    }

    Endpoint relay(final int index)
    {
        return relays[index];
    }

    byte[] bind(final int index)
    {
        return binds[index];
    }

    long onTimer(final long nowNs)
    {
        if (isConnected())
        {
            return NO_DEADLINE;
        }
        if (nowNs >= nextSendNs)
        {
            for (int i = 0; i < sessions; i++)
            {
                writer.relayBind(socketTowards.applyAsInt(relays[i]), relays[i], binds[i],
                    probes > 0 ? RelayBindFlyweight.REFRESH : 0);
            }
            probes++;
            nextSendNs = nowNs + retryNs;
        }
        return nextSendNs;
    }

    void close()
    {
    }
}
