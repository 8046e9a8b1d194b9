package dev.introducer.engine.relay;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.scenario.SimEngine;
import dev.introducer.engine.scenario.SimWorld;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay that dies mid-session (issue 11; lab: LabRestartTest): two nodes each offer a session at their own relay,
 * the pair converges on one, and that relay goes silent (its host sleeps: nothing in, nothing out). Within 3 s the
 * pair must carry data again, over the other relay's session, which both peers bound and keep refreshing.
 * <p>
 * In the lab the pair never recovered: no session switch, no lost peer, round 2 never arrived in 34 s, while the
 * surviving relay kept answering the refreshes of the other session.
 */
class RelayFailoverScenarioTest
{
    private static final int MESSAGES = 10;
    private static final long KEEPALIVE_NS = seconds(1);
    private static final long FAILOVER_NS = seconds(3);

    @Test
    @DisplayName("the relay carrying a pair dies: data flows over the other relay within 3 s")
    void pairMovesToTheOtherRelayWhenItsRelayDies()
    {
        final SimWorld world = new SimWorld(77, false);
        TwoRelayScenarioTest.twoRelays(world, (relays) -> { });
        world.peerSettings((c) -> c.keepaliveNs(KEEPALIVE_NS));
        final SimNat natA = world.addNat(SimNatType.SYMMETRIC);
        final SimNat natB = world.addNat(SimNatType.SYMMETRIC);
        final SimEngine a = world.addPeerIn("A", natA);
        final SimEngine b = world.addPeerIn("B", natB);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> TwoRelayScenarioTest.connected(a, b), seconds(5)));
        assertTrue(world.runUntil(() -> TwoRelayScenarioTest.sameSession(a, b), world.now() + seconds(20)),
            "converged on one session");
        world.runFor(seconds(2));
        exchange(a, b);
        world.runFor(seconds(0.5));
        assertEquals(MESSAGES, b.messagesFrom(a));
        assertEquals(MESSAGES, a.messagesFrom(b));

        final Endpoint carrying = a.core().peer(b.id()).endpoint().copy();
        world.network().host(carrying.ipv4()).sleep(true);
        world.runFor(FAILOVER_NS);
        exchange(a, b);
        world.runFor(seconds(0.5));
        assertEquals(2 * MESSAGES, b.messagesFrom(a), "a's messages reach b " + FAILOVER_NS / 1_000_000
            + " ms after relay " + carrying + " died; a now sends to " + a.core().peer(b.id()).endpoint());
        assertEquals(2 * MESSAGES, a.messagesFrom(b), "b's messages reach a; b now sends to "
            + b.core().peer(a.id()).endpoint());
    }

    private static void exchange(final SimEngine a, final SimEngine b)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        for (int i = 0; i < MESSAGES; i++)
        {
            assertEquals(EngineCore.SEND_OK, a.send(b, payload));
            assertEquals(EngineCore.SEND_OK, b.send(a, payload));
        }
    }
}
