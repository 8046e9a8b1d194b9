package dev.introducer.relay;

import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCore;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay session costs well under 1 KiB: 200,000 sessions with both legs bound, measured as heap growth.
 */
class RelaySessionFootprintTest
{
    private static final int SESSIONS = 200_000;

    /** A transport that sends nowhere: the core's bookkeeping is what is measured. */
    private static final class NullTransport implements Transport, Scheduler
    {
        public boolean send(final int socketId, final Endpoint destination, final DirectBuffer buffer,
            final int offset, final int length)
        {
            return true;
        }

        public int openSocket()
        {
            return NO_SOCKET;
        }

        public void closeSocket(final int socketId)
        {
        }

        public Endpoint localEndpoint(final Endpoint into)
        {
            return into.clear();
        }

        public void wakeAt(final long deadlineNs)
        {
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("200,000 two-legged sessions: under 1 KiB of heap each")
    void sessionsAreSmall() throws Exception
    {
        final Endpoint relayEndpoint = Endpoint.parse("198.18.0.10:3478");
        final NullTransport transport = new NullTransport();
        final RelayCore core = new RelayCore(new RelayConfiguration().publicEndpoint(relayEndpoint)
            .secret(RelayServerTest.SECRET).bindRatePerSource(Integer.MAX_VALUE), transport, transport,
            () -> 1_000L, new SplittableRandom(1));
        core.start(0);
        final long before = RelayTestSupport.usedHeapAfterGc();
        final Endpoint source = new Endpoint();
        final Id32 a = Id32.sha256("a");
        final Id32 b = Id32.sha256("b");
        for (int i = 0; i < SESSIONS; i++)
        {
            final byte[] bindA = RelayClient.bind(RelayServerTest.SECRET, i + 1, 10_000, a, b, relayEndpoint);
            final byte[] bindB = RelayClient.bind(RelayServerTest.SECRET, i + 1, 10_000, b, a, relayEndpoint);
            source.setIpv4(0x0A000000 + i, 1000);
            core.onDatagram(i, 0, source, new UnsafeBuffer(bindA), 0, bindA.length);
            source.setIpv4(0x0B000000 + i, 2000);
            core.onDatagram(i, 0, source, new UnsafeBuffer(bindB), 0, bindB.length);
        }
        assertEquals(SESSIONS, core.sessionCount());
        final long perSession = (RelayTestSupport.usedHeapAfterGc() - before) / SESSIONS;
        System.out.println("relay session footprint: " + perSession + " B per session with both legs bound");
        assertTrue(perSession <= 1024, perSession + " B per session");
        assertEquals(SESSIONS * 2L, core.counters().get(RelayCounters.Type.BINDS));
    }
}
