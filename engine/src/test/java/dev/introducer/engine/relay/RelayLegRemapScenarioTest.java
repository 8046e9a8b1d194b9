package dev.introducer.engine.relay;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.PathType;
import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.scenario.SimEngine;
import dev.introducer.engine.scenario.SimWorld;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relayed pair whose NAT remaps mid-session (issue 11): b's hard NAT forgets its mappings (a reboot, a conntrack
 * flush), so b's datagrams to the relay leave from a new port. Its leg at the relay is still bound to the old one.
 * The pair must carry data again within one keepalive plus 3 s: b re-binds its leg from the new port with the
 * session's token (or the pair moves to another session), and a's data reaches b again.
 * <p>
 * The lab's evidence for the same failure (LabImpairedMatrixTest, hard↔hard through one relay, loss and delay):
 * the relay counted {@code dropped: reason=replayed_token} for every re-bind from a new address and
 * {@code dropped: reason=unbound} for the data from it, and one peer received nothing.
 */
class RelayLegRemapScenarioTest
{
    private static final int MESSAGES = 10;
    private static final long KEEPALIVE_NS = seconds(2);
    private static final long RECOVERY_NS = KEEPALIVE_NS + seconds(3);

    @Test
    @DisplayName("a relayed pair carries data again within a keepalive plus 3 s after one side's NAT remaps")
    void relayedPairRecoversFromARemappedLeg()
    {
        final SimRelay[] relay = new SimRelay[1];
        final SimWorld world = RelayScenarioTest.relayWorld(75, relay);
        world.peerSettings((c) -> c.keepaliveNs(KEEPALIVE_NS));
        final SimEngine a = world.addPeerBehind("A", SimNatType.SYMMETRIC);
        final SimNat natOfB = world.addNat(SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerIn("B", natOfB);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> RelayScenarioTest.connected(a, b), seconds(5)));
        assertEquals(PathType.RELAY, a.connection(b).path());
        exchange(a, b);
        world.runFor(seconds(0.5));
        assertEquals(MESSAGES, b.messagesFrom(a), "before the remap, a's messages reach b");
        assertEquals(MESSAGES, a.messagesFrom(b), "before the remap, b's messages reach a");

        natOfB.flush();
        world.runFor(RECOVERY_NS);
        exchange(a, b);
        world.runFor(seconds(0.5));
        final long replayed = relay[0].core().counters().get(RelayCounters.Type.DROPPED_REPLAYED_TOKEN);
        final long unbound = relay[0].core().counters().get(RelayCounters.Type.DROPPED_UNBOUND);
        assertEquals(2 * MESSAGES, b.messagesFrom(a), "a's messages reach b again " + RECOVERY_NS / 1_000_000
            + " ms after b's NAT remapped (relay: replayed-token drops " + replayed + ", unbound drops " + unbound
            + ")");
        assertEquals(2 * MESSAGES, a.messagesFrom(b), "b's messages reach a again (relay: replayed-token drops "
            + replayed + ", unbound drops " + unbound + ")");
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
