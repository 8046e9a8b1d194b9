package dev.introducer.engine.scenario;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.core.Peer;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.IntroFlyweight;
import dev.introducer.protocol.LocalFlyweight;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.ProbeFlyweight;
import dev.introducer.protocol.RelayFlyweight;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static dev.introducer.engine.scenario.SwarmScenarioTest.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per bug of the seed (reference §8) that could apply to us, named after it.
 */
class SeedBugTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);

    @Test
    @DisplayName("bug 1: an intro for an unknown target gets an error, and the introducer keeps serving")
    void introForUnknownTarget()
    {
        final SimWorld world = new SimWorld(40);
        final SimEngine asker = world.addPublicPeer("asker");
        world.runFor(seconds(1));
        final int[] errors = new int[1];
        world.network().onSend((now, source, destination, bytes, offset, length) ->
        {
            if ((bytes.getByte(offset + 3) & 0xFF) == dev.introducer.protocol.MessageType.ERROR)
            {
                errors[0]++;
            }
        });
        asker.connect(Id32.sha256("nobody"));
        world.runFor(seconds(1));
        assertEquals(2, errors[0], "each introducer answered with an error");
        final SimEngine late = world.addPeerBehind("late", SimNatType.PORT_RESTRICTED);
        assertTrue(world.runUntil(() -> late.nat() == NatType.EASY, world.now() + seconds(3)),
            "the introducers still answer");
    }

    @Test
    @DisplayName("bug 2: probes and connects about unknown ids or an unknown NAT never throw")
    void unknownIdsAndNatsDoNotThrow()
    {
        final SimWorld world = new SimWorld(41);
        final SimEngine stranger = world.addPublicPeer("stranger");
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        world.runFor(seconds(1));
        final ProbeFlyweight probe = new ProbeFlyweight();
        probe.wrapForProbe(buffer, 0).nonce(7).senderId(Id32.sha256("unknown")).flags(ProbeFlyweight.FROM_OTHER_PORT);
        stranger.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, probe.frameLength());
        // A peer whose NAT stays unknown (it never told anyone) joins: pairing it must not throw.
        final PingFlyweight ping = new PingFlyweight();
        ping.wrapForPing(buffer, 0).nat(NatType.UNKNOWN).restartEpoch(1).senderId(Id32.sha256("silent"));
        stranger.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, ping.frameLength());
        easy.join(SWARM);
        stranger.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, stranger), world.now() + seconds(5)));
    }

    @Test
    @DisplayName("bug 4: peer liveness is time-aware (the seed's peer-state tests, keepalive 29 s)")
    void livenessIsTimeAware()
    {
        final SimWorld world = new SimWorld(42).peerSettings((c) -> c.keepaliveNs(seconds(29)));
        final SimEngine a = world.addPeerBehind("a", SimNatType.PORT_RESTRICTED);
        final SimEngine b = world.addPeerBehind("b", SimNatType.PORT_RESTRICTED);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(5)));
        final Peer peer = a.core().peer(b.id());
        final long k = seconds(29);
        final long heard = peer.lastReceivedNs();
        assertEquals(Peer.Liveness.ACTIVE, peer.liveness(heard, k));
        assertEquals(Peer.Liveness.ACTIVE, peer.liveness(heard + seconds(20), k));
        assertEquals(Peer.Liveness.ACTIVE, peer.liveness(heard + (long)(1.4 * k), k));
        assertEquals(Peer.Liveness.INACTIVE, peer.liveness(heard + (long)(1.6 * k), k));
        assertEquals(Peer.Liveness.INACTIVE, peer.liveness(heard + 3 * k, k));
        assertEquals(Peer.Liveness.MISSING, peer.liveness(heard + (long)(3.1 * k), k));
        assertEquals(Peer.Liveness.FORGET, peer.liveness(heard + (long)(5.1 * k), k));
    }

    @Test
    @DisplayName("bug 5: a later connect for a connected peer does not reset its working path")
    void duplicateConnectKeepsWorkingPath()
    {
        final SimWorld world = new SimWorld(43);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        hard.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, hard), seconds(10)));
        world.runFor(seconds(1));
        final Peer hardSeenByEasy = easy.core().peer(hard.id());
        final Endpoint pathBefore = hardSeenByEasy.endpoint().copy();
        final int socketBefore = hard.core().peer(easy.id()).socketId();
        final long probesBefore = easy.core().counters().get(EngineCounters.Type.SPRAY_PROBES_SENT);
        // Ask for the same introduction again: both sides get fresh CONNECTs about a peer they are connected to.
        easy.connect(hard.id());
        world.runFor(seconds(2));
        assertEquals(pathBefore, easy.core().peer(hard.id()).endpoint(), "path unchanged");
        assertEquals(socketBefore, hard.core().peer(easy.id()).socketId(), "hard side keeps its winning socket");
        assertEquals(probesBefore, easy.core().counters().get(EngineCounters.Type.SPRAY_PROBES_SENT),
            "no second spray");
        assertTrue(easy.core().counters().get(EngineCounters.Type.DUPLICATE_CONNECTS) >= 1);
        assertEquals(1, easy.connectionEvents().size());
    }

    @Test
    @DisplayName("bug 6: the first direct contact with a peer is not taken for a restart")
    void firstContactIsNotARestart()
    {
        final SimWorld world = new SimWorld(44);
        final SimEngine a = world.addPeerBehind("a", SimNatType.PORT_RESTRICTED);
        final SimEngine b = world.addPeerBehind("b", SimNatType.PORT_RESTRICTED);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(5)));
        world.runFor(seconds(60));
        assertEquals(0, a.core().counters().get(EngineCounters.Type.RESTARTS_SEEN));
        assertEquals(0, b.core().counters().get(EngineCounters.Type.RESTARTS_SEEN));
    }

    @Test
    @DisplayName("bug 9: spray sockets are closed, and no attempt lingers after success")
    void spraySocketsAreClosed()
    {
        final SimWorld world = new SimWorld(45);
        final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
        final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
        easy.join(SWARM);
        hard.join(SWARM);
        assertTrue(world.runUntil(() -> connected(easy, hard), seconds(10)));
        world.runFor(seconds(5));
        assertEquals(0, easy.core().activeAttempts());
        assertEquals(0, hard.core().activeAttempts());
        assertEquals(2, hard.host().openSockets());
        hard.core().close();
        assertEquals(0, hard.core().spraySocketsInUse(), "close releases the kept winner too");
        assertEquals(1, hard.host().openSockets(), "only the main socket, which the host owns");
    }

    @Test
    @DisplayName("bug 10: swarm membership is pruned with the peers that left")
    void swarmMembershipIsPruned()
    {
        final SimWorld world = new SimWorld(46, false)
            .introducerSettings((c) -> c.keepaliveNs(seconds(5)))
            .peerSettings((c) -> c.keepaliveNs(seconds(5)))
            .addIntroducers();
        final SimEngine a = world.addPeerBehind("a", SimNatType.PORT_RESTRICTED);
        a.join(SWARM);
        world.runFor(seconds(3));
        final SimEngine introducer = world.introducers().get(0);
        assertEquals(1, introducer.core().swarm(SWARM).members().size());
        a.host().sleep(true);
        world.runFor(seconds(40));
        assertNull(introducer.core().peer(a.id()), "the silent peer is forgotten");
        assertTrue(null == introducer.core().swarm(SWARM) || introducer.core().swarm(SWARM).members().isEmpty(),
            "and so is its membership");
    }

    @Test
    @DisplayName("bug 11: the introducer relays only LAN endpoints between peers behind one NAT")
    void relayIsNotAnOpenReflector()
    {
        final SimWorld world = new SimWorld(47);
        final SimEngine a = world.addPublicPeer("a");
        final SimEngine b = world.addPublicPeer("b");
        a.join(SWARM);
        b.join(SWARM);
        world.runFor(seconds(2));
        final SimEngine introducer = world.introducers().get(0);
        final long droppedBefore = introducer.core().counters().get(EngineCounters.Type.DROPPED_UNAUTHORISED);
        // a asks the introducer to forward a PING (not a LOCAL) to b.
        final RelayFlyweight relay = new RelayFlyweight();
        final PingFlyweight ping = new PingFlyweight();
        ping.wrapForPing(buffer, RelayFlyweight.INNER_OFFSET).senderId(a.id());
        relay.wrapForRelay(buffer, 0).innerLength(ping.frameLength()).senderId(a.id()).targetId(b.id());
        a.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, relay.frameLength());
        // And a LOCAL to b, although a and b are not behind one NAT.
        final LocalFlyweight local = new LocalFlyweight();
        local.wrapForLocal(buffer, RelayFlyweight.INNER_OFFSET).token(1).senderId(a.id())
            .lan(Endpoint.ipv4(0x0A000001, 1));
        relay.wrapForRelay(buffer, 0).innerLength(local.frameLength()).senderId(a.id()).targetId(b.id());
        a.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, relay.frameLength());
        world.runFor(seconds(0.1));
        assertEquals(droppedBefore + 2, introducer.core().counters().get(EngineCounters.Type.DROPPED_UNAUTHORISED));
    }

    @Test
    @DisplayName("bug 11: joins and intros without the introducer's cookie make no state (no spoofed members)")
    void joinWithoutCookieIsDropped()
    {
        final SimWorld world = new SimWorld(49);
        final SimEngine a = world.addPublicPeer("a");
        world.runFor(seconds(1));
        final SimEngine introducer = world.introducers().get(0);
        final long droppedBefore = introducer.core().counters().get(EngineCounters.Type.DROPPED_UNAUTHORISED);
        final dev.introducer.protocol.JoinFlyweight join = new dev.introducer.protocol.JoinFlyweight();
        join.wrapForJoin(buffer, 0).nat(NatType.EASY).wanted(3).cookie(12345).senderId(Id32.sha256("spoofed"))
            .swarmId(SWARM).lan(new Endpoint());
        a.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, join.frameLength());
        final PingFlyweight ping = new PingFlyweight();
        ping.wrapForPing(buffer, 0).nat(NatType.EASY).restartEpoch(1).senderId(Id32.sha256("pinger"));
        a.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, ping.frameLength());
        world.runFor(seconds(0.1));
        assertEquals(droppedBefore + 1, introducer.core().counters().get(EngineCounters.Type.DROPPED_UNAUTHORISED));
        assertNull(introducer.core().peer(Id32.sha256("spoofed")), "a join without our cookie records nobody");
        assertNull(introducer.core().peer(Id32.sha256("pinger")), "a ping records nobody");
    }

    @Test
    @DisplayName("intro with RENEW re-introduces a pair even when they think they are connected")
    void renewReintroduces()
    {
        final SimWorld world = new SimWorld(48);
        final SimEngine a = world.addPeerBehind("a", SimNatType.PORT_RESTRICTED);
        final SimEngine b = world.addPeerBehind("b", SimNatType.PORT_RESTRICTED);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> connected(a, b), seconds(5)));
        final IntroFlyweight intro = new IntroFlyweight();
        intro.wrapForIntro(buffer, 0).nat(NatType.EASY).flags(IntroFlyweight.RENEW)
            .cookie(a.core().introducerCookie(0)).senderId(a.id()).targetId(b.id());
        a.host().send(0, Endpoint.ipv4(SimWorld.INTRODUCER_A, SimWorld.PORT), buffer, 0, intro.frameLength());
        assertTrue(world.runUntil(() -> a.connectionEvents().size() == 2 && b.connectionEvents().size() == 2,
            world.now() + seconds(3)), "a new attempt ran and connected");
        assertTrue(connected(a, b));
    }
}
