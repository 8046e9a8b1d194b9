package dev.introducer.engine.relay;

import java.util.function.Consumer;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.PathType;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.scenario.SimEngine;
import dev.introducer.engine.scenario.SimWorld;
import dev.introducer.engine.sim.SimHost;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.engine.sim.SimNetwork;
import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.relay.RelayScenarioTest.SECRET;
import static dev.introducer.engine.scenario.SimWorld.INTRODUCER_A;
import static dev.introducer.engine.scenario.SimWorld.INTRODUCER_B;
import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented deployment: every introducer node runs its own relay, so a hard ↔ hard pair is offered two
 * sessions at two relays. The relays answer the two peers in their own order; the peers must still end on one
 * session, and no data may be lost once they have.
 */
class TwoRelayScenarioTest
{
    static final int RELAY_1 = SimNetwork.ipv4("4.4.4.4");
    static final int RELAY_2 = SimNetwork.ipv4("5.5.5.5");
    static final int RELAY_PORT = 3478;
    static final int MESSAGES = 1000;

    /**
     * Two introducers, each offering a session at its own relay (relay 1 by I1, relay 2 by I2), as the nodes of a
     * fleet sharing one secret do.
     */
    static SimRelay[] twoRelays(final SimWorld world, final Consumer<SimRelay[]> beforeStart)
    {
        final EpochClock clock = () -> 1_700_000_000_000L + world.network().now() / 1_000_000;
        final Endpoint relay1 = Endpoint.ipv4(RELAY_1, RELAY_PORT);
        final Endpoint relay2 = Endpoint.ipv4(RELAY_2, RELAY_PORT);
        world.introducerSettings((c) -> c.relaying().relay(relay1, SECRET).epochClock(clock)).addIntroducer("I1", INTRODUCER_A);
        world.introducerSettings((c) -> c.relaying().relay(relay2, SECRET).epochClock(clock)).addIntroducer("I2", INTRODUCER_B);
        final SimRelay[] relays = {
            new SimRelay(new RelayConfiguration().publicEndpoint(relay1).secret(SECRET), clock),
            new SimRelay(new RelayConfiguration().publicEndpoint(relay2).secret(SECRET), clock)};
        beforeStart.accept(relays);
        final int[] addresses = {RELAY_1, RELAY_2};
        for (int i = 0; i < relays.length; i++)
        {
            final SimHost host = world.network().addHost(addresses[i]);
            host.mainPort(RELAY_PORT);
            host.start(relays[i]);
        }
        return relays;
    }

    static boolean connected(final SimEngine a, final SimEngine b)
    {
        return a.isConnectedTo(b) && b.isConnectedTo(a);
    }

    static boolean sameSession(final SimEngine a, final SimEngine b)
    {
        final Peer bAtA = a.core().peer(b.id());
        final Peer aAtB = b.core().peer(a.id());
        return bAtA.relayChannel() != 0 && bAtA.relayChannel() == aAtB.relayChannel() &&
            bAtA.endpoint().equals(aAtB.endpoint());
    }

    static void sendBothWays(final SimWorld world, final SimEngine a, final SimEngine b)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < MESSAGES; i++)
        {
            assertEquals(EngineCore.SEND_OK, a.send(b, payload));
            assertEquals(EngineCore.SEND_OK, b.send(a, payload));
        }
        world.runFor(seconds(1));
    }

    static long switches(final SimEngine a, final SimEngine b)
    {
        return a.core().counters().get(EngineCounters.Type.RELAY_SESSION_SWITCHES) +
            b.core().counters().get(EngineCounters.Type.RELAY_SESSION_SWITCHES);
    }

    @Test
    @DisplayName("relay 1 answers A late and relay 2 answers B late: A connects on relay 2, B on relay 1, " +
        "both move to the lower session and every message arrives")
    void opposedAnswersConverge()
    {
        final SimWorld world = new SimWorld(80, false);
        final SimNat natA = world.addNat(SimNatType.SYMMETRIC);
        final SimNat natB = world.addNat(SimNatType.SYMMETRIC);
        final SimRelay[] relays = twoRelays(world, (r) ->
        {
            r[0].delayAcksTo(world.network(), natA.publicIpv4(), seconds(0.5));
            r[1].delayAcksTo(world.network(), natB.publicIpv4(), seconds(0.5));
        });
        final SimEngine a = world.addPeerIn("A", natA);
        final SimEngine b = world.addPeerIn("B", natB);
        a.join(SWARM);
        b.join(SWARM);

        assertTrue(world.runUntil(() -> connected(a, b), seconds(5)));
        assertEquals(PathType.RELAY, a.connection(b).path());
        assertEquals(PathType.RELAY, b.connection(a).path());
        assertEquals(Endpoint.ipv4(RELAY_2, RELAY_PORT), a.core().peer(b.id()).endpoint(), "A heard relay 2 first");
        assertEquals(Endpoint.ipv4(RELAY_1, RELAY_PORT), b.core().peer(a.id()).endpoint(), "B heard relay 1 first");

        assertTrue(world.runUntil(() -> sameSession(a, b), world.now() + seconds(2)), "converged on one session");
        assertEquals(1, switches(a, b), "exactly one of them moved");
        sendBothWays(world, a, b);
        assertEquals(MESSAGES, b.messagesFrom(a));
        assertEquals(MESSAGES, a.messagesFrom(b));
        final long forwarded = relays[0].core().counters().get(RelayCounters.Type.DATAGRAMS_FORWARDED) +
            relays[1].core().counters().get(RelayCounters.Type.DATAGRAMS_FORWARDED);
        assertEquals(2 * MESSAGES, forwarded, "all through the one session both chose");

        // Both sessions are refreshed by both peers: the pair stays on its session through minutes of keepalives.
        world.runFor(seconds(180));
        assertTrue(connected(a, b) && sameSession(a, b));
        assertTrue(a.lost().isEmpty() && b.lost().isEmpty());
        sendBothWays(world, a, b);
        assertEquals(2 * MESSAGES, b.messagesFrom(a));
        assertEquals(2 * MESSAGES, a.messagesFrom(b));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100})
    @DisplayName("with jittered latency (0-80 ms a hop), the pair always ends on one session and loses nothing")
    void jitteredAnswersConverge(final long seed)
    {
        final SimWorld world = new SimWorld(seed, false);
        world.network().latency(0, 80_000_000L);
        twoRelays(world, (r) -> { });
        final SimEngine a = world.addPeerBehind("A", SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerBehind("B", SimNatType.SYMMETRIC);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(10)));
        assertTrue(world.runUntil(() -> sameSession(a, b), world.now() + seconds(3)), "converged on one session");
        world.runFor(seconds(1));
        sendBothWays(world, a, b);
        assertEquals(MESSAGES, b.messagesFrom(a));
        assertEquals(MESSAGES, a.messagesFrom(b));
    }
}
