package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * The peers by id and by the endpoint we talk to them at. The endpoint index is how a datagram without an id
 * (DATA) finds its peer; lookups allocate nothing.
 */
final class PeerTable
{
    private final Map<Id32, Peer> byId = new HashMap<>();
    private final Map<Endpoint, Peer> byEndpoint = new HashMap<>();
    private final ArrayList<Peer> iterationCopy = new ArrayList<>();
    private final org.agrona.collections.Int2ObjectHashMap<Peer> byRelayChannel =
        new org.agrona.collections.Int2ObjectHashMap<>();
    private final int maxPeers;

    PeerTable(final int maxPeers)
    {
        this.maxPeers = maxPeers;
    }

    Peer get(final Id32 id)
    {
        return byId.get(id);
    }

    Peer byEndpoint(final Endpoint endpoint)
    {
        return byEndpoint.get(endpoint);
    }

    /**
     * The peer with this id, created if new and there is room.
     *
     * @return the peer, or null when the table is full.
     */
    Peer getOrCreate(final Id32 id, final long nowNs)
    {
        Peer peer = byId.get(id);
        if (null == peer)
        {
            if (byId.size() >= maxPeers)
            {
                return null;
            }
            peer = new Peer(id, nowNs);
            byId.put(id, peer);
        }
        return peer;
    }

    /**
     * Moves a peer to a new endpoint (and socket), keeping the endpoint index right.
     */
    void setEndpoint(final Peer peer, final Endpoint endpoint, final int socketId)
    {
        if (peer.relayChannel() != 0)
        {
            removeRelayChannels(peer);
            peer.relayBindings().sendOn(0, 0);
        }
        if (peer.indexedByEndpoint())
        {
            byEndpoint.remove(peer.endpoint(), peer);
        }
        peer.endpoint().set(endpoint);
        peer.socketId(socketId);
        if (!endpoint.isNone())
        {
            final Peer previous = byEndpoint.put(peer.endpoint().copy(), peer);
            if (null != previous && previous != peer)
            {
                previous.indexedByEndpoint(false);
            }
            peer.indexedByEndpoint(true);
        }
        else
        {
            peer.indexedByEndpoint(false);
        }
    }

    Peer byRelayChannel(final int channel)
    {
        return byRelayChannel.get(channel);
    }

    /**
     * Moves a peer behind a relay, or to another of its relay sessions: it is reached at the relay's endpoint on a
     * channel. Several peers share one relay endpoint, so relayed peers are found by channel, not by endpoint. The
     * channels of its other sessions stay registered ({@link #addRelayChannel}).
     */
    void setRelayed(final Peer peer, final Endpoint relay, final int socketId, final int channel, final long sessionId)
    {
        if (peer.indexedByEndpoint())
        {
            byEndpoint.remove(peer.endpoint(), peer);
            peer.indexedByEndpoint(false);
        }
        peer.endpoint().set(relay);
        peer.socketId(socketId);
        peer.relayBindings().sendOn(channel, sessionId);
        addRelayChannel(peer, channel);
    }

    /**
     * Data of this peer may arrive on a channel: one of its relay sessions ({@link Peer#relayBindings()}).
     */
    void addRelayChannel(final Peer peer, final int channel)
    {
        if (0 != channel)
        {
            byRelayChannel.put(channel, peer);
        }
    }

    /**
     * Forgets a peer's relay sessions and their channels (it moves to a direct path, connects anew or is gone).
     */
    void clearRelay(final Peer peer)
    {
        removeRelayChannels(peer);
    }

    private void removeRelayChannels(final Peer peer)
    {
        removeRelayChannel(peer, peer.relayChannel());
        final RelayBindings bindings = peer.relayBindings();
        for (int i = 0; i < bindings.count(); i++)
        {
            removeRelayChannel(peer, bindings.channel(i));
        }
        bindings.clear();
    }

    /**
     * Forgets one channel of a peer's (a relay refused that session), if it is still the peer's.
     */
    void removeRelayChannel(final Peer peer, final int channel)
    {
        if (0 != channel && byRelayChannel.get(channel) == peer)
        {
            byRelayChannel.remove(channel);
        }
    }

    void remove(final Peer peer)
    {
        byId.remove(peer.id());
        removeRelayChannels(peer);
        if (peer.indexedByEndpoint())
        {
            byEndpoint.remove(peer.endpoint(), peer);
            peer.indexedByEndpoint(false);
        }
    }

    int size()
    {
        return byId.size();
    }

    /**
     * A stable copy of the peers, so callers may remove while iterating. Reuses one list.
     */
    ArrayList<Peer> snapshot()
    {
        iterationCopy.clear();
        iterationCopy.addAll(byId.values());
        return iterationCopy;
    }

    Iterable<Peer> all()
    {
        return byId.values();
    }
}
