package dev.introducer.engine.relay;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.scenario.SimEngine;
import dev.introducer.engine.scenario.SimWorld;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.RelayDataFlyweight;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relaying peer's forwarding path allocates nothing: a million {@code RELAY_DATA} datagrams of a bound session
 * go through the engine core of the relaying peer ({@code EngineCore.onDatagram}: decode, channel lookup, the peer
 * relay's leg and quota checks, the call to the transport), measured with {@code ThreadMXBean} on this thread.
 * <p>
 * The session is set up in the simulator. For the measurement the relaying peer's simulated host is asleep: the
 * simulator copies every datagram it carries, which is the simulator's cost, not ours, and an asleep host refuses
 * the send without copying. The transport's own send on a connected socket is measured by
 * {@code DataPathAllocationTest} (engine) and {@code ForwardingAllocationTest} (relay).
 */
class PeerRelayForwardingAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final int PAYLOAD = 64;

    @Test
    @Timeout(120)
    @DisplayName("1 M datagrams through the relaying peer's core: 0 bytes allocated per datagram")
    void peerRelayForwardingIsAllocationFree()
    {
        final SimWorld world = new SimWorld(95);
        world.peerSettings((configuration) -> configuration.relaying().peerRelay(true)
            .peerRelayQuota(Integer.MAX_VALUE, Long.MAX_VALUE));
        final SimEngine c = world.addPeerBehind("C", SimNatType.PORT_RESTRICTED);
        world.peerSettings((configuration) -> { });
        c.join(SWARM);
        assertTrue(world.runUntil(() -> c.nat() != NatType.UNKNOWN, seconds(5)));
        final SimEngine a = world.addPeerBehind("A", SimNatType.SYMMETRIC);
        final SimEngine b = world.addPeerBehind("B", SimNatType.SYMMETRIC);
        a.join(SWARM);
        b.join(SWARM);
        assertTrue(world.runUntil(() -> a.isConnectedTo(b) && b.isConnectedTo(a), world.now() + seconds(5)));
        world.runFor(seconds(0.1));

        // a's datagram to b as it arrives at c: from a's endpoint, on the channel a settled on.
        final Endpoint fromA = c.core().peer(a.id()).endpoint().copy();
        final int channel = a.core().peer(b.id()).relayChannel();
        final UnsafeBuffer datagram = new UnsafeBuffer(ByteBuffer.allocateDirect(RelayDataFlyweight.PAYLOAD_OFFSET +
            PAYLOAD));
        final int length = new RelayDataFlyweight().wrapForRelayData(datagram, 0, PAYLOAD).channelId(channel)
            .frameLength();
        final EngineCore core = c.core();
        final long forwardedAwake = core.peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED);
        core.onDatagram(world.now(), Transport.MAIN_SOCKET, fromA, datagram, 0, length);
        assertEquals(forwardedAwake + 1, core.peerRelayCounter(RelayCounters.Type.DATAGRAMS_FORWARDED),
            "the crafted datagram is forwarded like a's own");

        c.host().sleep(true);
        final long startNs = world.now();
        feed(core, startNs, fromA, datagram, length, WARM_UP);
        final long receivedBefore = core.peerRelayCounter(RelayCounters.Type.DATAGRAMS_RECEIVED);
        final long droppedBefore = core.peerRelayCounter(RelayCounters.Type.DROPPED_UNBOUND) +
            core.peerRelayCounter(RelayCounters.Type.QUOTA_SESSION);
        final long threadId = Thread.currentThread().getId();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        feed(core, startNs + WARM_UP, fromA, datagram, length, MEASURED);
        final long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
        final long received = core.peerRelayCounter(RelayCounters.Type.DATAGRAMS_RECEIVED) - receivedBefore;
        final double perDatagram = (double)allocated / MEASURED;
        System.out.printf("peer relay forwarding: %,d datagrams, %,d B allocated (%.4f B/datagram)%n",
            received, allocated, perDatagram);
        assertEquals(MEASURED, received, "every datagram reached the peer relay");
        assertEquals(droppedBefore, core.peerRelayCounter(RelayCounters.Type.DROPPED_UNBOUND) +
            core.peerRelayCounter(RelayCounters.Type.QUOTA_SESSION), "and passed its leg and quota checks");
        assertTrue(perDatagram < 0.01, perDatagram + " B per datagram");
    }

    private static void feed(final EngineCore core, final long startNs, final Endpoint source,
        final UnsafeBuffer datagram, final int length, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            // 1 µs apart: the quota windows roll over as they would at 1 M datagrams/s.
            core.onDatagram(startNs + i * 1_000L, Transport.MAIN_SOCKET, source, datagram, 0, length);
        }
    }
}
