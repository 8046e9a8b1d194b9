package dev.introducer.engine.scenario;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.core.Swarm;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swarm joins and the connections they lead to: the seed's {@code test/swarm.js}, {@code test/index.js} and
 * {@code test/chat.js} scenarios that apply to the engine, under their names.
 */
class SwarmScenarioTest
{
    private static final UnsafeBuffer HELLO = new UnsafeBuffer("hello".getBytes());

    static boolean connected(final SimEngine a, final SimEngine b)
    {
        return a.isConnectedTo(b) && b.isConnectedTo(a);
    }

    @Test
    @DisplayName("intro: two public peers introduced on request know each other")
    void intro()
    {
        final SimWorld world = new SimWorld(10);
        final SimEngine d = world.addPublicPeer("D");
        final SimEngine e = world.addPublicPeer("E");
        assertTrue(world.runUntil(() -> d.nat() == NatType.STATIC && e.nat() == NatType.STATIC, seconds(5)));
        world.runFor(seconds(0.1));
        d.connect(e.id());
        assertTrue(world.runUntil(() -> connected(d, e), world.now() + seconds(2)));
        assertEquals(Strategy.DIRECT, d.connection(e).strategy());
        assertEquals(PathType.DIRECT, d.connection(e).path());
    }

    @Test
    @DisplayName("intro, easy nat: two peers behind full-cone NATs introduced on request know each other")
    void introEasyNat()
    {
        final SimWorld world = new SimWorld(11);
        final SimEngine d = world.addPeerBehind("D", SimNatType.FULL_CONE);
        final SimEngine e = world.addPeerBehind("E", SimNatType.FULL_CONE);
        assertTrue(world.runUntil(() -> d.nat() != NatType.UNKNOWN && e.nat() != NatType.UNKNOWN, seconds(5)));
        world.runFor(seconds(0.1));
        d.connect(e.id());
        assertTrue(world.runUntil(() -> connected(d, e), world.now() + seconds(2)));
    }

    @Test
    @DisplayName("swarm: two easy peers join at the same time and connect")
    void swarm()
    {
        final SimWorld world = new SimWorld(12);
        final SimEngine d = world.addPeerBehind("D", SimNatType.PORT_RESTRICTED);
        final SimEngine e = world.addPeerBehind("E", SimNatType.PORT_RESTRICTED);
        d.join(SWARM);
        e.join(SWARM);
        assertTrue(world.runUntil(() -> connected(d, e), seconds(5)));
        assertEquals(Strategy.DIRECT, d.connection(e).strategy());
        assertTrue(d.core().swarm(SWARM).members().stream().anyMatch((p) -> p.id().equals(e.id())));
    }

    @Test
    @DisplayName("swarm2: D joins, later E joins, and they connect")
    void swarm2()
    {
        final SimWorld world = new SimWorld(13);
        final SimEngine d = world.addPeerBehind("D", SimNatType.PORT_RESTRICTED);
        final SimEngine e = world.addPeerBehind("E", SimNatType.PORT_RESTRICTED);
        d.join(SWARM);
        world.runFor(seconds(2));
        e.join(SWARM);
        assertTrue(world.runUntil(() -> connected(d, e), world.now() + seconds(5)));
        assertNotNull(e.core().swarm(SWARM));
    }

    @Test
    @DisplayName("swarmN: 100 peers behind their own NATs each get at least 3 connections")
    void swarmN()
    {
        final SimWorld world = new SimWorld(14);
        for (int i = 0; i < 100; i++)
        {
            world.addPeerBehind("P" + i, SimNatType.FULL_CONE).join(SWARM);
        }
        final List<SimEngine> peers = world.peers();
        assertTrue(world.runUntil(() -> peers.stream().allMatch((p) -> connectedPeers(p) >= 3), seconds(30)),
            () -> "fewest connections: " + peers.stream().mapToInt(SwarmScenarioTest::connectedPeers).min());
    }

    static int connectedPeers(final SimEngine engine)
    {
        int count = 0;
        if (null == engine.core())
        {
            return 0;
        }
        for (final Peer peer : engine.core().peers())
        {
            if (peer.isConnected())
            {
                count++;
            }
        }
        return count;
    }

    @Test
    @DisplayName("swarm with 1 easy 1 hard: the introducer records both NATs and the birthday punch connects them")
    void swarmWithOneEasyOneHard()
    {
        final SimWorld world = new SimWorld(15);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        hard.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, hard), seconds(10)));
        final EngineCore introducer = world.introducers().get(0).core();
        assertEquals(NatType.EASY, introducer.peer(easy.id()).nat());
        assertEquals(NatType.HARD, introducer.peer(hard.id()).nat());
        assertEquals(Strategy.SPRAY_EASY_SIDE, easy.connection(hard).strategy());
        assertEquals(Strategy.SPRAY_HARD_SIDE, hard.connection(easy).strategy());
        assertTrue(easy.send(hard, HELLO) == EngineCore.SEND_OK);
        assertTrue(hard.send(easy, HELLO) == EngineCore.SEND_OK);
        world.runFor(seconds(0.1));
        assertEquals(1, hard.messagesFrom(easy));
        assertEquals(1, easy.messagesFrom(hard));
    }

    @Test
    @DisplayName("swarm with hard nats included: 10 easy and 10 hard peers, every NAT detected and recorded")
    void swarmWithHardNatsIncluded()
    {
        final SimWorld world = new SimWorld(16);
        for (int i = 0; i < 10; i++)
        {
            world.addPeerBehind("easy" + i, SimNatType.PORT_RESTRICTED).join(SWARM);
            world.addPeerBehind("hard" + i, SimNatType.SYMMETRIC).join(SWARM);
        }
        world.runFor(seconds(10));
        final EngineCore introducer = world.introducers().get(0).core();
        for (final SimEngine peer : world.peers())
        {
            final NatType expected = peer.toString().startsWith("easy") ? NatType.EASY : NatType.HARD;
            assertEquals(expected, peer.nat(), peer.toString());
            assertEquals(expected, introducer.peer(peer.id()).nat(), "introducer's record of " + peer);
        }
        for (final SimEngine peer : world.peers())
        {
            if (peer.nat() == NatType.HARD)
            {
                assertTrue(world.peers().stream().anyMatch((o) -> o.nat() == NatType.EASY && connected(o, peer)),
                    peer + " is connected to an easy peer");
            }
        }
    }

    @Test
    @DisplayName("empty swarm: a lone joiner is told the swarm is empty")
    void emptySwarm()
    {
        final SimWorld world = new SimWorld(17);
        final int[] errors = new int[1];
        world.network().onSend((now, source, destination, buffer, offset, length) ->
        {
            if (length >= 4 && (buffer.getByte(offset + 3) & 0xFF) == dev.introducer.protocol.MessageType.ERROR)
            {
                errors[0]++;
            }
        });
        final SimEngine lone = world.addPeerBehind("lone", SimNatType.PORT_RESTRICTED);
        lone.join(SWARM);
        world.runFor(seconds(3));
        assertTrue(errors[0] >= 1, "an ERROR was sent to the lone joiner");
        final Swarm swarm = lone.core().swarm(SWARM);
        assertEquals(0, swarm.members().size());
        assertEquals(0, swarm.knownMembersHint(), "the error, attributed to the swarm, says it has no members");
        assertEquals(NatType.EASY, world.introducers().get(0).core().peer(lone.id()).nat());
    }

    @Test
    @DisplayName("notify on_peer, swarm: each side is told of the other exactly once")
    void notifyOnPeer()
    {
        final SimWorld world = new SimWorld(18);
        final SimEngine d = world.addPeerBehind("D", SimNatType.PORT_RESTRICTED);
        final SimEngine e = world.addPeerBehind("E", SimNatType.PORT_RESTRICTED);
        d.join(SWARM);
        e.join(SWARM);
        assertTrue(world.runUntil(() -> connected(d, e), seconds(5)));
        world.runFor(seconds(30));
        assertEquals(1, d.connectionEvents().size(), "D's connection events");
        assertEquals(1, e.connectionEvents().size(), "E's connection events");
    }

    @Test
    @DisplayName("local connection established without hairpinning support")
    void localConnectionWithoutHairpinning()
    {
        final SimWorld world = new SimWorld(19);
        final SimNat nat = world.addNat(SimNatType.PORT_RESTRICTED).hairpinning(false);
        final SimEngine a = world.addPeerIn("A", nat);
        final SimEngine b = world.addPeerIn("B", nat);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(5)));
        assertEquals(PathType.LOCAL, a.connection(b).path());
        assertEquals(Strategy.LOCAL, b.connection(a).strategy());
        assertEquals(a.core().natReport().publicEndpoint().ipv4(), b.core().natReport().publicEndpoint().ipv4(),
            "both have the NAT's public address");
        assertTrue(a.send(b, HELLO) == EngineCore.SEND_OK);
        world.runFor(seconds(0.1));
        assertEquals(1, b.messagesFrom(a));
    }

    @Test
    @DisplayName("hard with hard: reported as needing a relay within 1 s, no spray socket opened")
    void hardWithHardNeedsRelay()
    {
        final SimWorld world = new SimWorld(20);
        final SimEngine a = world.addPeerBehind("A", SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerBehind("B", SimNatType.SYMMETRIC);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> a.nat() == NatType.HARD && b.nat() == NatType.HARD, seconds(5)));
        final long known = world.now();
        assertTrue(world.runUntil(() -> !a.needsRelay().isEmpty() && !b.needsRelay().isEmpty(), known + seconds(1)),
            "needs-relay within 1 s of both knowing their NAT");
        world.runFor(seconds(3));
        assertEquals(0, a.core().spraySocketsInUse());
        assertEquals(0, b.core().spraySocketsInUse());
        assertFalse(connected(a, b));
        assertEquals(1, a.needsRelay().size(), "reported once");
    }

    @Test
    @DisplayName("a peer introduced while it rediscovers its NAT still connects")
    void introductionsDuringDiscoveryKeepEveryToken()
    {
        for (long seed = 0; seed < 20; seed++)
        {
            final SimWorld world = new SimWorld(100 + seed).peerSettings((c) -> c.discovery().discoveryRetryNs(seconds(0.2)));
            final SimNat nat = world.addNat(SimNatType.PORT_RESTRICTED);
            final SimEngine a = world.addPeerIn("A", nat);
            a.join(SWARM);
            world.runFor(seconds(2));
            // A moves inside its NAT: it rediscovers, and B's join makes both introducers pair them meanwhile.
            a.host().moveTo(nat, dev.introducer.engine.sim.SimNetwork.ipv4("10.0.5.5"));
            final SimEngine b = world.addPeerBehind("B", SimNatType.PORT_RESTRICTED);
            world.runFor(seconds(0.3));
            b.join(SWARM);
            assertTrue(world.runUntil(() -> connected(a, b), world.now() + seconds(5)), "seed " + seed);
        }
    }
}
