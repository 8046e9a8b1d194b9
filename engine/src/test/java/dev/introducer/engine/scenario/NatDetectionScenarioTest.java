package dev.introducer.engine.scenario;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.NatReport;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAT detection: the seed's {@code test/nat-check.js} and {@code test/index.js} "detect hard nat".
 */
class NatDetectionScenarioTest
{
    @Test
    @DisplayName("nat-check: easy behind a port-restricted NAT, hard behind a symmetric one, static in public")
    void natCheck()
    {
        final SimWorld world = new SimWorld(1);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        final SimEngine open = world.addPublicPeer("public");

        assertTrue(world.runUntil(() -> easy.nat() != NatType.UNKNOWN && hard.nat() != NatType.UNKNOWN &&
            open.nat() != NatType.UNKNOWN, seconds(5)));

        assertEquals(NatType.EASY, easy.nat());
        assertEquals(NatType.HARD, hard.nat());
        assertEquals(NatType.STATIC, open.nat());
        assertEquals(NatReport.Mapping.ENDPOINT_INDEPENDENT, easy.core().natReport().mapping());
        assertEquals(NatReport.Filtering.RESTRICTED, easy.core().natReport().filtering());
        assertEquals(NatReport.Mapping.ENDPOINT_DEPENDENT, hard.core().natReport().mapping());
        assertEquals(NatReport.Filtering.OPEN, open.core().natReport().filtering());
        assertTrue(open.core().natReport().noNat(), "a public peer's public endpoint is its own");
        assertEquals(world.introducers().get(0).id(), easy.core().introducer(0).id());
        assertEquals(NatType.STATIC, easy.core().introducer(0).nat(),
            "the introducer is known as static");
    }

    @Test
    @DisplayName("detect hard nat")
    void detectHardNat()
    {
        final SimWorld world = new SimWorld(2);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        assertTrue(world.runUntil(() -> hard.nat() != NatType.UNKNOWN, seconds(5)));
        assertEquals(NatType.HARD, hard.nat());
    }

    @Test
    @DisplayName("a full-cone NAT lets the other-port probe in: reachable without a punch, so static")
    void fullConeIsStatic()
    {
        final SimWorld world = new SimWorld(3);
        final SimEngine cone = world.addPeerBehind("cone", SimNatType.FULL_CONE);
        assertTrue(world.runUntil(() -> cone.nat() != NatType.UNKNOWN, seconds(5)));
        assertEquals(NatType.STATIC, cone.nat());
        assertEquals(NatReport.Mapping.ENDPOINT_INDEPENDENT, cone.core().natReport().mapping());
        assertEquals(NatReport.Filtering.OPEN, cone.core().natReport().filtering());
        assertTrue(!cone.core().natReport().noNat(), "behind a NAT all the same");
    }

    @Test
    @DisplayName("discovery finishes well within the nat command's 2 s budget")
    void discoveryIsQuick()
    {
        final SimWorld world = new SimWorld(4);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        assertTrue(world.runUntil(() -> easy.nat() != NatType.UNKNOWN, seconds(1)),
            "classified within 1 s of simulated time");
    }

    @Test
    @DisplayName("seed bug 7: the static probe is retried, so one lost answer does not leave a static peer easy")
    void staticProbeIsRetriedUnderLoss()
    {
        int staticCount = 0;
        for (long seed = 0; seed < 20; seed++)
        {
            final SimWorld world = new SimWorld(seed).lossRate(0.10);
            final SimEngine open = world.addPublicPeer("public");
            world.runUntil(() -> open.nat() != NatType.UNKNOWN, seconds(10));
            if (open.nat() == NatType.STATIC)
            {
                staticCount++;
            }
        }
        assertTrue(staticCount >= 19, "static in " + staticCount + " of 20 runs at 10 % loss per hop");
    }
}
