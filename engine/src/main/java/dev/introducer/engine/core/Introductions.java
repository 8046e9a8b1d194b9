package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.introducer.engine.EngineCounters;
import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * Pairing: the introducer's decision of whom to introduce to whom, and the two CONNECTs of each pair. Used by
 * introducers and by any peer answering a join for a swarm it belongs to.
 * <ul>
 *     <li>A joiner is paired with up to {@code wanted} random members.</li>
 *     <li>A hard joiner is paired with static and easy members first; hard members come last and their pair
 *     is marked {@code NEEDS_RELAY}, so neither side wastes a spray on it.</li>
 *     <li>Members with the same public address as the joiner are marked {@code SAME_NAT}: they connect over
 *     their LAN endpoints, which the CONNECTs carry.</li>
 *     <li>Each pair gets a fresh random introduction token, the same in both CONNECTs.</li>
 * </ul>
 */
final class Introductions
{
    private final FrameWriter writer;
    private final RandomGenerator random;
    private final EngineCounters counters;
    private final ArrayList<Peer> scratch = new ArrayList<>();
    private final RelayOffers relayOffers;

    Introductions(final FrameWriter writer, final RandomGenerator random, final EngineCounters counters,
        final RelayOffers relayOffers)
    {
        this.writer = writer;
        this.random = random;
        this.counters = counters;
        this.relayOffers = relayOffers;
    }

    /**
     * Offers a pair a relay session: at the relay node if this introducer has one, else at a peer of a swarm both
     * are in that relays for its swarms. Both peers reach a peer relay only over paths of their own to it, so they
     * are introduced to it too (a pair already connected ignores the introduction).
     *
     * @return whether an offer was sent; false counts {@code relay_unavailable}.
     */
    boolean offerRelay(final Peer a, final Peer b)
    {
        if (null == relayOffers)
        {
            return false;
        }
        if (relayOffers.hasNodeRelay())
        {
            relayOffers.offerNode(a, b);
            return true;
        }
        final Peer relay = relayOffers.choosePeerRelay(a, b);
        if (null == relay)
        {
            counters.increment(EngineCounters.Type.RELAY_UNAVAILABLE);
            return false;
        }
        final Swarm swarm = relayOffers.chosenSwarm();
        final int others = swarm.members().size() - 1;
        pair(a, relay, swarm.id(), others, 0);
        pair(b, relay, swarm.id(), others, 0);
        relayOffers.offerPeer(a, b, relay);
        return true;
    }

    /**
     * Introduces a joiner to up to {@code wanted} of the candidates.
     *
     * @param joiner     the peer that asked.
     * @param candidates connectable members, without the joiner.
     * @param wanted     how many introductions it wants.
     * @param swarmId    the swarm, or null.
     * @return how many pairs were introduced.
     */
    int introduce(final Peer joiner, final List<Peer> candidates, final int wanted, final Id32 swarmId)
    {
        scratch.clear();
        scratch.addAll(candidates);
        for (int i = scratch.size() - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final Peer swap = scratch.get(i);
            scratch.set(i, scratch.get(j));
            scratch.set(j, swap);
        }
        if (joiner.nat() == NatType.HARD)
        {
            // Stable partition: punchable members first, so a hard joiner gets direct paths where they exist.
            int next = 0;
            for (int i = 0; i < scratch.size(); i++)
            {
                if (scratch.get(i).nat() != NatType.HARD || sameNat(joiner, scratch.get(i)))
                {
                    final Peer punchable = scratch.remove(i);
                    scratch.add(next++, punchable);
                }
            }
        }
        final int count = Math.min(wanted, scratch.size());
        for (int i = 0; i < count; i++)
        {
            pair(joiner, scratch.get(i), swarmId, candidates.size(), 0);
        }
        scratch.clear();
        return count;
    }

    /**
     * Sends both CONNECTs of one pair.
     *
     * @param a          one peer.
     * @param b          the other.
     * @param swarmId    the swarm, or null.
     * @param swarmPeers members known, for the CONNECT's hint.
     * @param extraFlags flags to add, such as {@link ConnectFlyweight#RENEW}.
     */
    void pair(final Peer a, final Peer b, final Id32 swarmId, final int swarmPeers, final int extraFlags)
    {
        final long token = nonZeroToken();
        int flags = extraFlags;
        if (sameNat(a, b))
        {
            flags |= ConnectFlyweight.SAME_NAT;
        }
        else if (a.nat() == NatType.HARD && b.nat() == NatType.HARD)
        {
            flags |= ConnectFlyweight.NEEDS_RELAY;
        }
        writer.connect(a, b, swarmId, token, flags, swarmPeers);
        writer.connect(b, a, swarmId, token, flags, swarmPeers);
        counters.increment(EngineCounters.Type.INTRODUCTIONS);
        if ((flags & ConnectFlyweight.NEEDS_RELAY) != 0)
        {
            offerRelay(a, b);
        }
    }

    /**
     * Two peers behind one NAT: the same public address, and at least one of them translated (its LAN endpoint
     * differs from its public one). Two un-NATed peers on one host share an address but need no LAN path.
     */
    private static boolean sameNat(final Peer a, final Peer b)
    {
        return !a.publicEndpoint().isNone() && a.publicEndpoint().sameAddress(b.publicEndpoint()) &&
            (isTranslated(a) || isTranslated(b));
    }

    private static boolean isTranslated(final Peer peer)
    {
        return !peer.lanEndpoint().isNone() && !peer.lanEndpoint().equals(peer.publicEndpoint());
    }

    private long nonZeroToken()
    {
        long token;
        do
        {
            token = random.nextLong();
        }
        while (0 == token);
        return token;
    }
}
