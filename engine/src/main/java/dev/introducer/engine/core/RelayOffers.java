package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.random.RandomGenerator;

import org.agrona.concurrent.EpochClock;

import dev.introducer.engine.EngineCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.RelayToken;

/**
 * An introducer's relay offers: a fresh session id, an expiry on the fleet's wall clock, and a token, sent to both
 * peers of a pair that cannot punch. The relay is the configured relay node when there is one (token signed with
 * the fleet secret), else a peer relay: a member of a swarm both peers are in, other than them, that relays for its
 * swarms and has a static or easy NAT (token signed with the key that peer gave us in its pings).
 * <p>
 * The peer relay of a pair is a function of the three ids, not a random draw: two introducers that know the same
 * members offer both their sessions at the same peer, so the pair's two sessions share one relay endpoint (a peer
 * accepts relayed data on either session, from that endpoint). Different pairs still spread over the candidates.
 */
final class RelayOffers
{
    private final FrameWriter writer;
    private final RandomGenerator random;
    private final EngineCounters counters;
    private final SwarmTable swarms;
    private final PeerRelayKeys peerRelayKeys;
    private final Endpoint nodeRelay;
    private final RelayToken nodeToken;
    private final EpochClock epochClock;
    private final long ttlMs;
    private final ArrayList<Peer> candidates = new ArrayList<>();
    private final ArrayList<Swarm> candidateSwarms = new ArrayList<>();
    private Swarm chosenSwarm;

    RelayOffers(final EngineConfiguration configuration, final FrameWriter writer, final RandomGenerator random,
        final EngineCounters counters, final SwarmTable swarms, final PeerRelayKeys peerRelayKeys)
    {
        this.writer = writer;
        this.random = random;
        this.counters = counters;
        this.swarms = swarms;
        this.peerRelayKeys = peerRelayKeys;
        this.nodeRelay = configuration.relaying().relayEndpoint();
        this.nodeToken = null == nodeRelay ? null : new RelayToken(configuration.relaying().relaySecret());
        this.epochClock = configuration.relaying().epochClock();
        this.ttlMs = configuration.relaying().relayTokenTtlNs() / 1_000_000;
    }

    /**
     * Whether a relay node is configured (it is always preferred).
     */
    boolean hasNodeRelay()
    {
        return null != nodeRelay;
    }

    /**
     * Offers both peers one session at the relay node.
     */
    void offerNode(final Peer a, final Peer b)
    {
        offer(a, b, nodeRelay, nodeToken);
    }

    /**
     * Picks a peer relay for a pair among the eligible members of the swarms both are in: the one whose id hashes
     * lowest with the pair's.
     *
     * @return the relaying peer, or null when there is none; {@link #chosenSwarm()} is its swarm.
     */
    Peer choosePeerRelay(final Peer a, final Peer b)
    {
        candidates.clear();
        candidateSwarms.clear();
        for (int s = 0; s < a.swarms().size(); s++)
        {
            final Swarm swarm = swarms.get(a.swarms().get(s));
            if (null == swarm || !b.inSwarm(swarm.id()))
            {
                continue;
            }
            for (final Peer member : swarm.members())
            {
                if (member != a && member != b && isPeerRelay(member))
                {
                    candidates.add(member);
                    candidateSwarms.add(swarm);
                }
            }
        }
        if (candidates.isEmpty())
        {
            chosenSwarm = null;
            return null;
        }
        final long pair = a.id().hashCode() ^ b.id().hashCode();
        int index = 0;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++)
        {
            final long score = mix(pair * 0x9E3779B97F4A7C15L + candidates.get(i).id().hashCode());
            if (Long.compareUnsigned(score, best) < 0)
            {
                best = score;
                index = i;
            }
        }
        final Peer relay = candidates.get(index);
        chosenSwarm = candidateSwarms.get(index);
        candidates.clear();
        candidateSwarms.clear();
        return relay;
    }

    /**
     * The swarm of the last peer relay chosen.
     */
    Swarm chosenSwarm()
    {
        return chosenSwarm;
    }

    /**
     * Offers both peers one session at a peer relay, named by the public endpoint we see it at.
     */
    void offerPeer(final Peer a, final Peer b, final Peer relay)
    {
        offer(a, b, relay.publicEndpoint(), peerRelayKeys.signer(relay));
        counters.increment(EngineCounters.Type.PEER_RELAY_OFFERS);
    }

    private static long mix(final long value)
    {
        long h = value;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    private boolean isPeerRelay(final Peer peer)
    {
        // Static or easy: every peer reaches it at the endpoint we see it at, so the token can name that endpoint.
        return null != peerRelayKeys.signer(peer) && (peer.nat() == NatType.STATIC || peer.nat() == NatType.EASY) &&
            !peer.publicEndpoint().isNone();
    }

    private void offer(final Peer a, final Peer b, final Endpoint relay, final RelayToken token)
    {
        long sessionId;
        do
        {
            sessionId = random.nextLong();
        }
        while (0 == sessionId);
        final long expiryMs = epochClock.time() + ttlMs;
        writer.relayOffer(a, b, sessionId, expiryMs, relay, token);
        writer.relayOffer(b, a, sessionId, expiryMs, relay, token);
        counters.increment(EngineCounters.Type.RELAY_OFFERS);
    }
}
