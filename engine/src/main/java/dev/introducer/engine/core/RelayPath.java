package dev.introducer.engine.core;

import java.util.function.ToIntFunction;

import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayBindFlyweight;

/**
 * A relayed peer's path over its relay sessions ({@link RelayBindings}): taken from the attempt that connected,
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
        final RelayBindings bindings = peer.relayBindings();
        for (int i = 0; i < attempt.sessionCount(); i++)
        {
            final Endpoint relay = attempt.relay(i);
            final int added = bindings.add(relay, attempt.sessionId(i), attempt.bind(i),
                socketTowards.applyAsInt(relay), attempt.channel(i));
            // The other peer may settle on another session we bound: its data arrives on that channel at once.
            peers.addRelayChannel(peer, attempt.channel(i));
            bindings.complete(added, i == index);
        }
        final int chosen = bindings.lowestComplete();
        peers.setRelayed(peer, bindings.relay(chosen), bindings.socketId(chosen), bindings.channel(chosen),
            bindings.sessionId(chosen));
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
        final RelayBindings bindings = peer.relayBindings();
        final int index = bindings.indexOfSession(sessionId);
        if (index < 0)
        {
            return false;
        }
        if (status != 0)
        {
            if (sessionId == peer.relayBindings().sendSessionId())
            {
                // Refused where we send: move if another session has both legs; else the path decays as before.
                bindings.complete(index, false);
            }
            else
            {
                peers.removeRelayChannel(peer, bindings.channel(index));
                bindings.remove(index);
            }
            return choose(peer);
        }
        if (0 != channel && bindings.channel(index) != channel)
        {
            // A new channel is a new session at the relay (it expired the old one whole): its legs are as told.
            peers.removeRelayChannel(peer, bindings.channel(index));
            bindings.channel(index, channel);
            peers.addRelayChannel(peer, channel);
            bindings.complete(index, legs == 2);
        }
        else if (legs == 2)
        {
            // A relay never unbinds one leg of a live session: "one leg" on the same channel after "both" is an
            // older answer overtaken on the way, and must not move us off a session the other peer may send on.
            bindings.complete(index, true);
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
        final RelayBindings bindings = peer.relayBindings();
        for (int i = 0; i < bindings.count(); i++)
        {
            writer.relayBind(bindings.socketId(i), bindings.relay(i), bindings.bind(i), RelayBindFlyweight.REFRESH);
        }
    }

    private boolean choose(final Peer peer)
    {
        final RelayBindings bindings = peer.relayBindings();
        final int best = bindings.lowestComplete();
        if (best < 0 || (bindings.sessionId(best) == peer.relayBindings().sendSessionId() &&
            bindings.channel(best) == peer.relayChannel()))
        {
            return false;
        }
        final boolean samePath = peer.socketId() == bindings.socketId(best) &&
            peer.endpoint().equals(bindings.relay(best));
        if (!samePath)
        {
            transport.pathDown(peer.socketId(), peer.endpoint());
        }
        peers.setRelayed(peer, bindings.relay(best), bindings.socketId(best), bindings.channel(best),
            bindings.sessionId(best));
        if (!samePath)
        {
            transport.pathUp(peer.socketId(), peer.endpoint());
        }
        return true;
    }
}
