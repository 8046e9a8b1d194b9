package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;

import dev.introducer.protocol.Id32;

/**
 * A swarm as this node knows it: its members, whether we joined it ourselves, and when we last asked for
 * introductions. Membership is pruned with the peer table (the seed never pruned it).
 */
public final class Swarm
{
    private final Id32 id;
    private final List<Peer> members = new ArrayList<>();
    private boolean joined;
    private long lastJoinSentNs;
    private int knownMembersHint = -1;

    Swarm(final Id32 id)
    {
        this.id = id;
    }

    /**
     * The swarm id.
     *
     * @return the id.
     */
    public Id32 id()
    {
        return id;
    }

    /**
     * The members known to this node.
     *
     * @return the members (do not modify).
     */
    public List<Peer> members()
    {
        return members;
    }

    /**
     * Whether this node joined the swarm itself.
     *
     * @return true if joined.
     */
    public boolean joined()
    {
        return joined;
    }

    void joined(final boolean joined)
    {
        this.joined = joined;
    }

    long lastJoinSentNs()
    {
        return lastJoinSentNs;
    }

    void lastJoinSentNs(final long nowNs)
    {
        this.lastJoinSentNs = nowNs;
    }

    /**
     * How many members an introducer said the swarm has (from its CONNECTs, or from a SWARM_EMPTY error).
     *
     * @return the hint, -1 while no introducer has said.
     */
    public int knownMembersHint()
    {
        return knownMembersHint;
    }

    void knownMembersHint(final int hint)
    {
        this.knownMembersHint = hint;
    }

    void add(final Peer peer)
    {
        if (!members.contains(peer))
        {
            members.add(peer);
            peer.addSwarm(id);
        }
    }

    void remove(final Peer peer)
    {
        members.remove(peer);
        peer.removeSwarm(id);
    }

    int connectedMembers()
    {
        int count = 0;
        for (final Peer peer : members)
        {
            if (peer.isConnected())
            {
                count++;
            }
        }
        return count;
    }
}
