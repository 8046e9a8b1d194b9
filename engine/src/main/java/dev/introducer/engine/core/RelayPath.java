package dev.introducer.engine.core;

import java.util.function.ToIntFunction;

import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayBindFlyweight;

/**
 * A relayed peer's path over its relay sessions ({@link RelaySessions}): taken from the attempt that connected,
 * kept by refreshing every session, and moved to the session both peers converge on.
 * <p>
 * Why every session and not only the one we send on: when each introducer of a fleet runs its own relay, the two
 * offers of a pair name two relays, and each relay answers "both legs bound" to each peer at its own moment. Peer
 * a may hear relay 2 first and b relay 1 first. If each then kept only its first session, a would send where b does
 * not listen, and its leg at b's relay would expire: no data would arrive either way. So each peer refreshes every
 * session it bound (both legs stay), accepts data on every one, and sends on the lowest session id with both legs
 * bound, moving when a lower one completes: both see the same ids and answers, so they end on the same session.
 */
final class RelayPath
{
    private final PeerTable peers;
    private final Transport transport;
    private final FrameWriter writer;
    private final ToIntFunction<Endpoint> socketTowards;

    RelayPath(final PeerTable peers, final Transport transport, final FrameWriter writer,
        final ToIntFunction<Endpoint> socketTowards)
    {
        this.peers = peers;
        this.transport = transport;
        this.writer = writer;
        this.socketTowards = socketTowards;
    }

    /**
     * The attempt connected: a relay said both legs of session {@code index} are bound. Every session the attempt
     * bound becomes the peer's, and the peer is reached through the lowest complete one (this one).
     */
    void connect(final Peer peer, final RelayAttempt attempt, final int index)
    {
        peers.clearRelay(peer);
        final RelaySessions sessions = peer.relaySessions();
        for (int i = 0; i < attempt.sessionCount(); i++)
        {
            final Endpoint relay = attempt.relay(i);
            final int added = sessions.add(relay, attempt.sessionId(i), attempt.bind(i),
                socketTowards.applyAsInt(relay), attempt.channel(i));
            // The other peer may settle on another session we bound: its data arrives on that channel at once.
            peers.addRelayChannel(peer, attempt.channel(i));
            sessions.complete(added, i == index);
        }
        final int chosen = sessions.lowestComplete();
        peers.setRelayed(peer, sessions.relay(chosen), sessions.socketId(chosen), sessions.channel(chosen),
            sessions.sessionId(chosen), sessions.bind(chosen));
        transport.pathUp(peer.socketId(), peer.endpoint());
    }

    /**
     * A relay answered the bind or refresh of one of a connected relayed peer's sessions.
     *
     * @return whether the peer now sends on another session.
     */
    boolean onAck(final long nowNs, final Peer peer, final long sessionId, final int status, final int legs,
        final int channel)
    {
        final RelaySessions sessions = peer.relaySessions();
        final int index = sessions.indexOfSession(sessionId);
        if (index < 0)
        {
            return false;
        }
        if (status != 0)
        {
            if (sessionId == peer.relaySessionId())
            {
                // Refused where we send: move if another session has both legs; else the path decays as before.
                sessions.complete(index, false);
            }
            else
            {
                peers.removeRelayChannel(peer, sessions.channel(index));
                sessions.remove(index);
            }
            return choose(peer);
        }
        if (0 != channel && sessions.channel(index) != channel)
        {
            // A new channel is a new session at the relay (it expired the old one whole): its legs are as told.
            peers.removeRelayChannel(peer, sessions.channel(index));
            sessions.channel(index, channel);
            peers.addRelayChannel(peer, channel);
            sessions.complete(index, legs == 2);
        }
        else if (legs == 2)
        {
            // A relay never unbinds one leg of a live session: "one leg" on the same channel after "both" is an
            // older answer overtaken on the way, and must not move us off a session the other peer may send on.
            sessions.complete(index, true);
        }
        if (legs == 2)
        {
            peer.heardFrom(nowNs);
        }
        return choose(peer);
    }

    /**
     * Refreshes every session of a relayed peer, so that both legs of each stay bound at its relay.
     */
    void refresh(final Peer peer)
    {
        final RelaySessions sessions = peer.relaySessions();
        for (int i = 0; i < sessions.count(); i++)
        {
            writer.relayBind(sessions.socketId(i), sessions.relay(i), sessions.bind(i), RelayBindFlyweight.REFRESH);
        }
    }

    private boolean choose(final Peer peer)
    {
        final RelaySessions sessions = peer.relaySessions();
        final int best = sessions.lowestComplete();
        if (best < 0 || (sessions.sessionId(best) == peer.relaySessionId() &&
            sessions.channel(best) == peer.relayChannel()))
        {
            return false;
        }
        final boolean samePath = peer.socketId() == sessions.socketId(best) &&
            peer.endpoint().equals(sessions.relay(best));
        if (!samePath)
        {
            transport.pathDown(peer.socketId(), peer.endpoint());
        }
        peers.setRelayed(peer, sessions.relay(best), sessions.socketId(best), sessions.channel(best),
            sessions.sessionId(best), sessions.bind(best));
        if (!samePath)
        {
            transport.pathUp(peer.socketId(), peer.endpoint());
        }
        return true;
    }
}
