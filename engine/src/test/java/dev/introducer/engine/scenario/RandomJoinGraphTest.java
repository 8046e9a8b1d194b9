package dev.introducer.engine.scenario;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.introducer.engine.core.Peer;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.Id32;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's randomized {@code z.js} "Join": ten peers join at random times, and the graph of direct connections
 * must be connected. Peers are public or behind easy or full-cone NATs at random; hard peers are left to the
 * relay issue, because two hard peers have no direct path to connect the graph with.
 */
class RandomJoinGraphTest
{
    private static final int PEERS = 10;
    private static final int SEEDS = 100;

    @ParameterizedTest(name = "Join, {0} loss")
    @ValueSource(doubles = {0.0, 0.10})
    @DisplayName("Join: random join graphs of 10 peers are connected, over 100 seeds")
    void joinGraphsAreConnected(final double loss)
    {
        final List<Long> failed = new ArrayList<>();
        for (long seed = 0; seed < SEEDS; seed++)
        {
            if (!joinGraphConnects(seed, loss))
            {
                failed.add(seed);
            }
        }
        assertTrue(failed.isEmpty(), "seeds whose graph was not connected: " + failed);
    }

    static boolean joinGraphConnects(final long seed, final double loss)
    {
        final SimWorld world = new SimWorld(seed).lossRate(loss).peerSettings((c) -> c.keepaliveNs(seconds(5)));
        final SplittableRandom random = new SplittableRandom(seed);
        final SimNatType[] types = {null, SimNatType.FULL_CONE, SimNatType.PORT_RESTRICTED};
        for (int i = 0; i < PEERS; i++)
        {
            final SimNatType type = types[random.nextInt(types.length)];
            final SimEngine peer = null == type ? world.addPublicPeer("P" + i) : world.addPeerBehind("P" + i, type);
            world.network().schedule(random.nextLong(seconds(3)), () -> peer.join(SWARM));
        }
        return world.runUntil(() -> isConnectedGraph(world.peers()), seconds(60));
    }

    static boolean isConnectedGraph(final List<SimEngine> engines)
    {
        final Set<Id32> seen = new HashSet<>();
        final ArrayDeque<SimEngine> queue = new ArrayDeque<>();
        queue.add(engines.get(0));
        seen.add(engines.get(0).id());
        while (!queue.isEmpty())
        {
            final SimEngine engine = queue.poll();
            if (null == engine.core())
            {
                return false;
            }
            for (final SimEngine other : engines)
            {
                final Peer peer = engine.core().peer(other.id());
                if (null != peer && peer.isConnected() && seen.add(other.id()))
                {
                    queue.add(other);
                }
            }
        }
        return seen.size() == engines.size();
    }
}
