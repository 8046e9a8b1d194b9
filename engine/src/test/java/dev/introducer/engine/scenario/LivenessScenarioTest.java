package dev.introducer.engine.scenario;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.NatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static dev.introducer.engine.scenario.SwarmScenarioTest.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keepalive, restarts, sleep and moves: the seed's {@code test/reconnect.js}, {@code test/restart.js} and
 * {@code test/wakeup.js}.
 */
class LivenessScenarioTest
{
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer("still here".getBytes());

    @Test
    @DisplayName("stay connected via keepalive: holes stay open for 10 simulated minutes against a 30 s NAT timeout")
    void stayConnectedViaKeepalive()
    {
        final SimWorld world = new SimWorld(30);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        hard.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, hard), seconds(10)));
        world.runFor(seconds(600));
        assertTrue(connected(easy, hard));
        assertTrue(easy.lost().isEmpty() && hard.lost().isEmpty(), "nobody was lost");
        final long now = world.now();
        final Peer hardSeenByEasy = easy.core().peer(hard.id());
        assertTrue(now - hardSeenByEasy.lastReceivedNs() < seconds(16), "heard within one keepalive period");
        assertEquals(EngineCore.SEND_OK, easy.send(hard, PAYLOAD));
        assertEquals(EngineCore.SEND_OK, hard.send(easy, PAYLOAD));
        world.runFor(seconds(0.1));
        assertEquals(1, hard.messagesFrom(easy), "data still gets through after 10 minutes");
        assertEquals(1, easy.messagesFrom(hard));
        assertEquals(1, easy.connectionEvents().size(), "no reconnection was needed");
    }

    @Test
    @DisplayName("swarm with 1 easy 1 hard (reconnect): the hard node moves into another NAT and reconnects")
    void reconnectAfterMove()
    {
        final SimWorld world = new SimWorld(31);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine mover = world.addPeerBehind("mover", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        mover.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, mover), seconds(10)));
        world.runFor(seconds(5));

        final SimNat newNat = world.addNat(SimNatType.PORT_RESTRICTED);
        final int newAddress = dev.introducer.engine.sim.SimNetwork.ipv4("10.9.9.80");
        mover.host().moveTo(newNat, newAddress);
        final long moved = world.now();

        assertTrue(world.runUntil(() -> mover.nat() == NatType.EASY &&
            easy.core().peer(mover.id()).endpoint().ipv4() == newNat.publicIpv4() && connected(easy, mover),
            moved + seconds(30)), "reconnected through the new NAT");
        assertEquals(newAddress, mover.core().natReport().localEndpoint().ipv4(), "its local address changed");
        assertEquals(newNat.publicIpv4(), mover.core().natReport().publicEndpoint().ipv4());
        assertEquals(EngineCore.SEND_OK, easy.send(mover, PAYLOAD));
        world.runFor(seconds(0.1));
        assertEquals(1, mover.messagesFrom(easy));
    }

    @Test
    @DisplayName("introducer restart: the peer notices the new restart epoch and joins again")
    void introducerRestart()
    {
        final SimWorld world = new SimWorld(32).peerSettings((c) -> c.keepaliveNs(seconds(5)));
        final SimEngine peer = world.addPeerBehind("peer", SimNatType.PORT_RESTRICTED);
        peer.join(SWARM);
        world.runFor(seconds(20));
        final SimEngine restarted = world.restartIntroducer(0);
        world.runFor(1);
        assertNull(restarted.core().peer(peer.id()), "the new instance starts empty");
        assertTrue(world.runUntil(() ->
        {
            final Peer known = restarted.core().peer(peer.id());
            return null != known && null != restarted.core().swarm(SWARM) &&
                restarted.core().swarm(SWARM).members().contains(known);
        }, world.now() + seconds(10)), "the new introducer knows the peer and its swarm again");
    }

    @Test
    @DisplayName("the hard node sleeps then wakes, expects to rediscover easy peer")
    void sleepAndWake()
    {
        final SimWorld world = new SimWorld(33).peerSettings((c) -> c.keepaliveNs(seconds(29)));
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine sleeper = world.addPeerBehind("sleeper", SimNatType.PORT_RESTRICTED);
        easy.join(SWARM);
        sleeper.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, sleeper), seconds(10)));

        sleeper.host().sleep(true);
        world.runFor(seconds(11 * 29));
        assertNull(easy.core().peer(sleeper.id()), "the easy peer forgot the sleeper");
        assertEquals(1, easy.lost().size());

        final long woke = world.now();
        sleeper.host().sleep(false);
        assertTrue(world.runUntil(() -> connected(easy, sleeper), woke + seconds(29)),
            "rediscovered and reconnected after waking");
        assertNotNull(sleeper.core().natReport().publicEndpoint());
    }

    @Test
    @DisplayName("a silent path is detected and re-punched when the NAT drops the mapping")
    void silentPathIsRepunched()
    {
        final SimWorld world = new SimWorld(34).peerSettings((c) -> c.keepaliveNs(seconds(5)));
        final SimEngine a = world.addPeerBehind("a", SimNatType.PORT_RESTRICTED);
        final SimNat hardNat = world.addNat(SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerIn("b", hardNat);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(10)));
        final int repunchesBefore = (int)a.core().counters().get(
            dev.introducer.engine.EngineCounters.Type.REPUNCHES);
        // The hard NAT forgets every mapping: the punched path dies silently.
        hardNat.flush();
        final long broken = world.now();
        assertTrue(world.runUntil(() -> a.connectionEvents().size() >= 2 && b.connectionEvents().size() >= 2 &&
            connected(a, b), broken + seconds(60)), "re-punched");
        assertTrue(a.core().counters().get(dev.introducer.engine.EngineCounters.Type.REPUNCHES) +
            b.core().counters().get(dev.introducer.engine.EngineCounters.Type.REPUNCHES) > repunchesBefore);
        assertEquals(EngineCore.SEND_OK, a.send(b, PAYLOAD));
        world.runFor(seconds(0.1));
        assertEquals(1, b.messagesFrom(a));
    }
}
