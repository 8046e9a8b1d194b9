package dev.introducer.engine.scenario;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.PathType;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.engine.sim.SimNetwork;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static dev.introducer.engine.scenario.SwarmScenarioTest.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's scenarios again, with 10 % of packets lost on every hop (the seed's randomized "drops" runs). Loss
 * costs time, not correctness: every retry loop must cover it.
 */
class LossyScenarioTest
{
    private static final double LOSS = 0.10;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer("lossy".getBytes());

    @Test
    @DisplayName("nat-check, 10 % loss: easy, hard and static over 20 seeds")
    void natCheck()
    {
        final List<String> wrong = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++)
        {
            final SimWorld world = new SimWorld(seed).lossRate(LOSS);
            final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
            final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
            final SimEngine open = world.addPublicPeer("public");
            world.runUntil(() -> easy.nat() != NatType.UNKNOWN && hard.nat() != NatType.UNKNOWN &&
                open.nat() != NatType.UNKNOWN, seconds(10));
            if (easy.nat() != NatType.EASY || hard.nat() != NatType.HARD)
            {
                wrong.add("seed " + seed + ": " + easy.nat() + "/" + hard.nat() + "/" + open.nat());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.toString());
    }

    @Test
    @DisplayName("swarm, 10 % loss: easy with easy connects over 20 seeds")
    void easyEasy()
    {
        final List<Long> failed = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++)
        {
            final SimWorld world = new SimWorld(seed).lossRate(LOSS);
            final SimEngine d = world.addPeerBehind("D", SimNatType.PORT_RESTRICTED);
            final SimEngine e = world.addPeerBehind("E", SimNatType.PORT_RESTRICTED);
            d.join(SWARM);
            e.join(SWARM);
            if (!world.runUntil(() -> connected(d, e), seconds(30)))
            {
                failed.add(seed);
            }
        }
        assertTrue(failed.isEmpty(), "not connected: " + failed);
    }

    @Test
    @DisplayName("easy with hard over 40 seeds, 10 % loss: every pair connects")
    void easyHardFortySeeds()
    {
        final List<Long> failed = new ArrayList<>();
        for (long seed = 0; seed < 40; seed++)
        {
            final SimWorld world = new SimWorld(seed).lossRate(LOSS);
            final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
            final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
            easy.join(SWARM);
            hard.join(SWARM);
            if (!world.runUntil(() -> connected(easy, hard), seconds(60)))
            {
                failed.add(seed);
            }
        }
        assertTrue(failed.isEmpty(), "not connected: " + failed);
    }

    @Test
    @DisplayName("local connection established without hairpinning support, 10 % loss")
    void sameNat()
    {
        for (long seed = 0; seed < 10; seed++)
        {
            final SimWorld world = new SimWorld(seed).lossRate(LOSS);
            final SimNat nat = world.addNat(SimNatType.PORT_RESTRICTED);
            final SimEngine a = world.addPeerIn("A", nat);
            final SimEngine b = world.addPeerIn("B", nat);
            a.join(SWARM);
            b.join(SWARM);
            assertTrue(world.runUntil(() -> connected(a, b), seconds(30)), "seed " + seed);
            assertEquals(PathType.LOCAL, a.connection(b).path(), "seed " + seed);
        }
    }

    @Test
    @DisplayName("swarm with 3 introductions, 10 % loss: 20 peers each get at least 3 connections")
    void swarmOfTwenty()
    {
        final SimWorld world = new SimWorld(60).lossRate(LOSS).peerSettings((c) -> c.keepaliveNs(seconds(5)));
        for (int i = 0; i < 20; i++)
        {
            world.addPeerBehind("P" + i, SimNatType.PORT_RESTRICTED).join(SWARM);
        }
        assertTrue(world.runUntil(() -> world.peers().stream().allMatch(
            (p) -> SwarmScenarioTest.connectedPeers(p) >= 3), seconds(60)));
    }

    @Test
    @DisplayName("stay connected via keepalive, 10 % loss: 10 simulated minutes")
    void keepalive()
    {
        final SimWorld world = new SimWorld(61).lossRate(LOSS);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        hard.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, hard), seconds(30)));
        world.runFor(seconds(600));
        assertTrue(connected(easy, hard));
        assertTrue(easy.lost().isEmpty() && hard.lost().isEmpty());
        int delivered = 0;
        for (int i = 0; i < 20; i++)
        {
            easy.send(hard, PAYLOAD);
        }
        world.runFor(seconds(0.1));
        delivered = hard.messagesFrom(easy);
        assertTrue(delivered >= 12, "delivered " + delivered + " of 20 at 10 % loss per hop");
    }

    @Test
    @DisplayName("introducer restart, 10 % loss: the peer joins the new instance again")
    void introducerRestart()
    {
        final SimWorld world = new SimWorld(62).lossRate(LOSS).peerSettings((c) -> c.keepaliveNs(seconds(5)));
        final SimEngine peer = world.addPeerBehind("peer", SimNatType.PORT_RESTRICTED);
        peer.join(SWARM);
        world.runFor(seconds(20));
        final SimEngine restarted = world.restartIntroducer(0);
        assertTrue(world.runUntil(() -> null != restarted.core() && null != restarted.core().swarm(SWARM) &&
            !restarted.core().swarm(SWARM).members().isEmpty(), world.now() + seconds(30)));
    }

    @Test
    @DisplayName("sleep and wake, 10 % loss: rediscovered and reconnected")
    void sleepAndWake()
    {
        final SimWorld world = new SimWorld(63).lossRate(LOSS).peerSettings((c) -> c.keepaliveNs(seconds(29)));
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine sleeper = world.addPeerBehind("sleeper", SimNatType.PORT_RESTRICTED);
        easy.join(SWARM);
        sleeper.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, sleeper), seconds(30)));
        sleeper.host().sleep(true);
        world.runFor(seconds(11 * 29));
        sleeper.host().sleep(false);
        assertTrue(world.runUntil(() -> connected(easy, sleeper), world.now() + seconds(60)));
    }

    @Test
    @DisplayName("a node moved to another NAT reconnects, 10 % loss")
    void move()
    {
        final SimWorld world = new SimWorld(64).lossRate(LOSS);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine mover = world.addPeerBehind("mover", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        mover.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, mover), seconds(30)));
        final SimNat newNat = world.addNat(SimNatType.PORT_RESTRICTED);
        mover.host().moveTo(newNat, SimNetwork.ipv4("10.9.9.80"));
        assertTrue(world.runUntil(() -> connected(easy, mover) &&
            easy.core().peer(mover.id()).endpoint().ipv4() == newNat.publicIpv4(), world.now() + seconds(60)));
    }
}
