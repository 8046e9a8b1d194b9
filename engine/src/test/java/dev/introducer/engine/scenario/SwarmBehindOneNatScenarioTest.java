package dev.introducer.engine.scenario;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.PathType;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A swarm behind one NAT (issue 11; lab: LabManyPeersTest): eight peers behind one easy NAT join one swarm, without
 * loss. Every pair must connect over the LAN within 60 s. In the lab, with sixteen, 58 of the 120 same-NAT pairs
 * connected and the other pairs never even started an attempt: no introduction was ever sent for them.
 */
class SwarmBehindOneNatScenarioTest
{
    private static final int PEERS = 8;

    @Test
    @DisplayName("eight peers behind one easy NAT in one swarm: every pair connected on local within 60 s")
    void everyPairBehindOneNatConnectsLocally()
    {
        assertEveryPairConnectsLocally(new SimWorld(76));
    }

    /**
     * The cause, isolated: a peer asks its introducers for {@code introductionsWanted} (3) introductions and joins
     * again only while it has fewer connections, so a swarm is a partial mesh. Asking for every other member makes
     * the same swarm a full mesh.
     */
    @Test
    @DisplayName("the same swarm, each peer asking for every other member: every pair connected on local")
    void everyPairConnectsWhenEachPeerAsksForEveryMember()
    {
        assertEveryPairConnectsLocally(new SimWorld(76).peerSettings((c) -> c.introductionsWanted(PEERS - 1)));
    }

    private static void assertEveryPairConnectsLocally(final SimWorld world)
    {
        final SimNat nat = world.addNat(SimNatType.PORT_RESTRICTED);
        final List<SimEngine> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++)
        {
            final SimEngine peer = world.addPeerIn("P" + i, nat);
            peers.add(peer);
            peer.join(SWARM);
        }
        world.runUntil(() -> connectedPairs(peers) == PEERS * (PEERS - 1) / 2, seconds(60));
        assertEquals(PEERS * (PEERS - 1) / 2, connectedPairs(peers),
            "pairs connected on both sides after 60 s, of " + PEERS * (PEERS - 1) / 2);
        for (final SimEngine one : peers)
        {
            for (final SimEngine other : peers)
            {
                if (one != other)
                {
                    assertTrue(PathType.LOCAL == one.connection(other).path(), one + " ↔ " + other + " on local");
                }
            }
        }
    }

    private static int connectedPairs(final List<SimEngine> peers)
    {
        int pairs = 0;
        for (int i = 0; i < peers.size(); i++)
        {
            for (int j = i + 1; j < peers.size(); j++)
            {
                if (peers.get(i).isConnectedTo(peers.get(j)) && peers.get(j).isConnectedTo(peers.get(i)))
                {
                    pairs++;
                }
            }
        }
        return pairs;
    }
}
