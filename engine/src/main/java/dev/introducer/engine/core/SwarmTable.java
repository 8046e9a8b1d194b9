package dev.introducer.engine.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.introducer.protocol.Id32;
import dev.introducer.protocol.LeaveFlyweight;

/**
 * The swarms this node knows, by id.
 */
final class SwarmTable
{
    private final Map<Id32, Swarm> swarms = new HashMap<>();

    Swarm get(final Id32 id)
    {
        return swarms.get(id);
    }

    Swarm getOrCreate(final Id32 id)
    {
        return swarms.computeIfAbsent(id, Swarm::new);
    }

    /**
     * Takes a peer out of every swarm it is in; drops swarms that become empty and that we did not join.
     */
    void removePeer(final Peer peer)
    {
        for (int i = peer.swarms().size() - 1; i >= 0; i--)
        {
            final Id32 swarmId = peer.swarms().get(i);
            final Swarm swarm = swarms.get(swarmId);
            if (null != swarm)
            {
                swarm.remove(peer);
                if (swarm.members().isEmpty() && !swarm.joined())
                {
                    swarms.remove(swarmId);
                }
            }
            else
            {
                peer.removeSwarm(swarmId);
            }
        }
    }

    /**
     * A LEAVE: takes its sender out of the swarm, if the datagram came from where we know the sender.
     *
     * @param sender the peer we know at the datagram's source, or null.
     */
    void onLeave(final Peer sender, final LeaveFlyweight leave)
    {
        final Swarm swarm = swarms.get(leave.swarmId());
        if (null != sender && null != swarm && sender.id().equals(leave.senderId()))
        {
            swarm.remove(sender);
        }
    }

    Collection<Swarm> all()
    {
        return swarms.values();
    }
}
