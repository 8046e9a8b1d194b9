package dev.introducer.engine.relay;

import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.core.EngineConfiguration;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.scenario.SimEngine;
import dev.introducer.engine.scenario.SimWorld;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer relay in the simulator: two peers behind hard NATs are connected through a third member of their swarm that
 * opted in to relay ({@link EngineConfiguration#peerRelay(boolean)}), over the paths each of them punched to it.
 * The introducers prefer a relay node, fall back to such a peer, and say {@code needs-relay} only without either.
 */
class PeerRelayScenarioTest
{
    private static final int MESSAGES = 1000;
    private static final Consumer<EngineConfiguration> NO_SETTINGS = (configuration) -> { };

    /** Adds the relaying peer {@code c}, opted in or not, and waits until it knows its NAT. */
    private static SimEngine addRelayPeer(
        final SimWorld world, final SimNatType nat, final Consumer<EngineConfiguration> settings)
    {
        return addRelayPeer(world, "C", nat, settings);
    }

    private static SimEngine addRelayPeer(
        final SimWorld world, final String name, final SimNatType nat, final Consumer<EngineConfiguration> settings)
    {
        world.peerSettings(settings);
        final SimEngine c = null == nat ? world.addPublicPeer(name) : world.addPeerBehind(name, nat);
        world.peerSettings(NO_SETTINGS);
        c.join(SWARM);
        assertTrue(world.runUntil(() -> c.nat() != NatType.UNKNOWN, world.now() + seconds(5)));
        return c;
    }

    private static SimEngine[] joinHardPair(final SimWorld world)
    {
        final SimEngine a = world.addPeerBehind("A", SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerBehind("B", SimNatType.SYMMETRIC);
        a.join(SWARM);
        b.join(SWARM);
        return new SimEngine[] {a, b};
    }

    private static boolean connected(final SimEngine a, final SimEngine b)
    {
        return a.isConnectedTo(b) && b.isConnectedTo(a);
    }

    private static long introducerCounter(final SimWorld world, final EngineCounters.Type type)
    {
        long sum = 0;
        for (final SimEngine introducer : world.introducers())
        {
            sum += introducer.core().counters().get(type);
        }
        return sum;
    }

    /**
     * A thousand messages each way, starting a relay round trip after both are connected: two introducers offer two
     * sessions, each peer settles on the first with both legs, and until the relay's answer for the other session
     * arrives a peer does not know that session's channel yet. Datagrams on it in that window are dropped.
     */
    private static void exchange(final SimWorld world, final SimEngine a, final SimEngine b)
    {
        world.runFor(seconds(0.05));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < MESSAGES; i++)
        {
            assertEquals(EngineCore.SEND_OK, a.send(b, payload));
            assertEquals(EngineCore.SEND_OK, b.send(a, payload));
        }
        world.runFor(seconds(1));
    }

    @ParameterizedTest(name = "relaying peer behind {0}")
    @ValueSource(strings = {"PORT_RESTRICTED", "FULL_CONE", "PUBLIC"})
    @DisplayName("hard with hard through an opted-in easy or static peer: path relay, data flows through the peer")
    void hardPairThroughAnOptedInPeer(final String relayNat)
    {
        final SimWorld world = new SimWorld(80 + relayNat.length());
        final SimEngine c = addRelayPeer(world, "PUBLIC".equals(relayNat) ? null : SimNatType.valueOf(relayNat),
            (configuration) -> configuration.relaying().peerRelay(true));
        assertTrue(c.core().isPeerRelayActive(), "c relays: its NAT is " + c.nat());
        final SimEngine[] pair = joinHardPair(world);
        final SimEngine a = pair[0];
        final SimEngine b = pair[1];

        assertTrue(world.runUntil(() -> connected(a, b), world.now() + seconds(5)), "a and b connected");
        assertEquals(PathType.RELAY, a.connection(b).path());
        assertEquals(Strategy.RELAY, b.connection(a).strategy());
        assertTrue(a.isConnectedTo(c) && b.isConnectedTo(c), "both reach c over paths of their own");
        assertEquals(PathType.DIRECT, a.connection(c).path());
        assertEquals(a.core().peer(c.id()).endpoint(), a.core().peer(b.id()).endpoint(), "a reaches b at c's endpoint");
        assertTrue(introducerCounter(world, EngineCounters.Type.PEER_RELAY_OFFERS) >= 1);

        exchange(world, a, b);
        assertEquals(MESSAGES, b.messagesFrom(a));
        assertEquals(MESSAGES, a.messagesFrom(b));
        assertTrue(c.core().peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED) >= 2L * MESSAGES,
            "c forwarded every message: " + c.core().peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED));
        assertEquals(0, c.messagesFrom(a) + c.messagesFrom(b), "c relays their data; it is not c's to read");
    }

    @Test
    @DisplayName("a relayed pair stays connected through c for 5 minutes: the binds refresh over the punched paths")
    void peerRelayedPairStays()
    {
        final SimWorld world = new SimWorld(85);
        final SimEngine c = addRelayPeer(world, SimNatType.PORT_RESTRICTED, (cfg) -> cfg.relaying().peerRelay(true));
        final SimEngine[] pair = joinHardPair(world);
        assertTrue(world.runUntil(() -> connected(pair[0], pair[1]), world.now() + seconds(5)));
        for (int i = 0; i < 30 && connected(pair[0], pair[1]); i++)
        {
            world.runFor(seconds(10));
        }
        assertTrue(connected(pair[0], pair[1]));
        assertTrue(pair[0].lost().isEmpty() && pair[1].lost().isEmpty(), "nobody was lost");
        assertEquals(EngineCore.SEND_OK, pair[0].send(pair[1], new UnsafeBuffer(new byte[10])));
        world.runFor(seconds(0.1));
        assertEquals(1, pair[1].messagesFrom(pair[0]));
        assertTrue(c.core().peerRelaySessions() >= 1);
    }

    @Test
    @DisplayName("a relay node is preferred over an opted-in peer when the introducers have one")
    void nodeRelayIsPreferred()
    {
        final SimRelay[] relay = new SimRelay[1];
        final SimWorld world = RelayScenarioTest.relayWorld(86, relay);
        final SimEngine c = addRelayPeer(world, SimNatType.PORT_RESTRICTED, (cfg) -> cfg.relaying().peerRelay(true));
        assertTrue(c.core().isPeerRelayActive());
        final SimEngine[] pair = joinHardPair(world);
        final SimEngine a = pair[0];
        final SimEngine b = pair[1];
        assertTrue(world.runUntil(() -> connected(a, b), world.now() + seconds(5)));
        assertEquals(PathType.RELAY, a.connection(b).path());
        assertEquals(Endpoint.ipv4(RelayScenarioTest.RELAY_ADDRESS, RelayScenarioTest.RELAY_PORT),
            a.core().peer(b.id()).endpoint(), "a reaches b at the relay node");
        exchange(world, a, b);
        assertEquals(MESSAGES, b.messagesFrom(a));
        assertTrue(relay[0].core().counters().get(RelayCounters.Type.DATAGRAMS_FORWARDED) >= 2L * MESSAGES);
        assertEquals(0, introducerCounter(world, EngineCounters.Type.PEER_RELAY_OFFERS));
        assertEquals(0, c.core().peerRelaySessions());
        assertEquals(0, c.core().peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED));
    }

    @Test
    @DisplayName("without a relay node or an opted-in peer, the hard pair is told needs-relay and nothing connects it")
    void noRelayMeansNeedsRelay()
    {
        final SimWorld world = new SimWorld(87);
        final SimEngine c = addRelayPeer(world, SimNatType.PORT_RESTRICTED, NO_SETTINGS);
        final SimEngine[] pair = joinHardPair(world);
        world.runFor(seconds(5));
        assertFalse(pair[0].isConnectedTo(pair[1]));
        assertTrue(pair[0].needsRelay().contains(pair[1].id()), "a was told b needs a relay");
        assertTrue(pair[1].needsRelay().contains(pair[0].id()), "b was told a needs a relay");
        assertTrue(pair[0].isConnectedTo(c) && pair[1].isConnectedTo(c), "c is there, but did not opt in");
        assertFalse(c.core().isPeerRelayActive());
        assertEquals(0, introducerCounter(world, EngineCounters.Type.RELAY_OFFERS));
        assertTrue(introducerCounter(world, EngineCounters.Type.RELAY_UNAVAILABLE) >= 1);
        assertEquals(0, c.core().counters().get(EngineCounters.Type.MESSAGES_RECEIVED));
    }

    @Test
    @DisplayName("a peer that opted in behind a hard NAT is never used: nobody could reach it at one endpoint")
    void optedInPeerBehindHardNatIsNotUsed()
    {
        final SimWorld world = new SimWorld(88);
        final SimEngine c = addRelayPeer(world, SimNatType.SYMMETRIC, (cfg) -> cfg.relaying().peerRelay(true));
        assertFalse(c.core().isPeerRelayActive(), "a hard NAT does not relay");
        final SimEngine[] pair = joinHardPair(world);
        world.runFor(seconds(5));
        assertFalse(pair[0].isConnectedTo(pair[1]));
        assertTrue(pair[0].needsRelay().contains(pair[1].id()));
        assertEquals(0, introducerCounter(world, EngineCounters.Type.RELAY_OFFERS));
    }

    @Test
    @DisplayName("of two easy members only the one that opted in relays")
    void onlyTheOptedInPeerRelays()
    {
        final SimWorld world = new SimWorld(89);
        final SimEngine other = addRelayPeer(world, "D", SimNatType.PORT_RESTRICTED, NO_SETTINGS);
        final SimEngine c = addRelayPeer(world, SimNatType.PORT_RESTRICTED, (cfg) -> cfg.relaying().peerRelay(true));
        final SimEngine[] pair = joinHardPair(world);
        assertTrue(world.runUntil(() -> connected(pair[0], pair[1]), world.now() + seconds(5)));
        exchange(world, pair[0], pair[1]);
        assertEquals(MESSAGES, pair[1].messagesFrom(pair[0]));
        assertTrue(c.core().peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED) >= 2L * MESSAGES);
        assertEquals(0, other.core().peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED));
        assertEquals(0, other.core().counters().get(EngineCounters.Type.DROPPED_UNAUTHORISED),
            "nobody sent relay data to the peer that did not opt in");
        assertNotEquals(pair[0].core().peer(other.id()), null, "a knows the other easy member too");
        assertNotEquals(pair[0].core().peer(other.id()).endpoint(), pair[0].core().peer(pair[1].id()).endpoint(),
            "a reaches b through c, not through the member that did not opt in");
    }

    @Test
    @DisplayName("the relaying peer's own quota: a burst beyond it is dropped at c and counted")
    void quotaHitIsCounted()
    {
        final SimWorld world = new SimWorld(90);
        final SimEngine c = addRelayPeer(world, SimNatType.PORT_RESTRICTED,
            (cfg) -> cfg.relaying().peerRelay(true).peerRelayQuota(100, 1L << 30));
        final SimEngine[] pair = joinHardPair(world);
        assertTrue(world.runUntil(() -> connected(pair[0], pair[1]), world.now() + seconds(5)));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < MESSAGES; i++)
        {
            assertEquals(EngineCore.SEND_OK, pair[0].send(pair[1], payload));
        }
        world.runFor(seconds(0.5));
        final long hits = c.core().peerRelayCounter(RelayCounters.Type.QUOTA_SESSION);
        assertTrue(hits >= MESSAGES - 100, "quota hits counted: " + hits);
        assertTrue(pair[1].messagesFrom(pair[0]) <= 100, "at most the quota got through: " +
            pair[1].messagesFrom(pair[0]));
        assertTrue(pair[1].messagesFrom(pair[0]) > 0, "within the quota, data flows");
    }
}
