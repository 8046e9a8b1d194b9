package dev.introducer.relay;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.host.DiscardingHost;
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

    @Test
    @Timeout(120)
    @DisplayName("200,000 two-legged sessions: under 1 KiB of heap each")
    void sessionsAreSmall() throws Exception
    {
        final Endpoint relayEndpoint = Endpoint.parse("198.18.0.10:3478");
        // A host that sends nowhere: the core's bookkeeping is what is measured.
        final DiscardingHost host = new DiscardingHost();
        final RelayCore core = new RelayCore(new RelayConfiguration().publicEndpoint(relayEndpoint)
            .secret(RelayServerTest.SECRET).bindRatePerSource(Integer.MAX_VALUE), host, host,
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
