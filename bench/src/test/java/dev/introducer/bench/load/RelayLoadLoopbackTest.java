package dev.introducer.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.relay.RelayServer;

/**
 * The load generator end to end on loopback, briefly: through our relay (bind with a token, RELAY_DATA, echo),
 * and directly. A few thousand datagrams at a low rate: nothing may be lost, and every figure must add up.
 */
class RelayLoadLoopbackTest
{
    private static final String SECRET = "relay-load-loopback-test-secret";

    @Test
    @Timeout(60)
    void drivesOurRelayWithBindsDataAndEchoes() throws Exception
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        try (RelayServer relay = new RelayServer(new RelayConfiguration()
            .publicEndpoint(Endpoint.parse("127.0.0.1:" + port)).secret(SECRET.getBytes(StandardCharsets.UTF_8))
            .bindRatePerSource(1000), new InetSocketAddress("127.0.0.1", port), 1, false,
            SystemEpochClock.INSTANCE))
        {
            final LoadOptions options = LoadOptions.parse(new String[] {"--target", "introducer", "--relay",
                "127.0.0.1:" + port, "--secret", SECRET, "--sessions", "4", "--rate", "5000", "--echo",
                "--duration", "1", "--warmup", "0.3", "--size", "64", "--label", "test",
                "--cpu-pid", Long.toString(ProcessHandle.current().pid())});
            final LoadResult result;
            try (RelayLoad load = new RelayLoad(options))
            {
                result = load.run();
            }
            System.out.println(result.toLine());
            assertTrue(result.tx > 3_000, result.toLine());
            assertEquals(result.tx, result.rx, "lost on loopback at 5 kpps: " + result.toLine());
            assertEquals(result.tx, result.echoRx, "echoes lost: " + result.toLine());
            assertEquals(result.rx, result.oneWay.getTotalCount());
            assertEquals(result.echoRx, result.roundTrip.getTotalCount());
            assertEquals(0, result.unexpected + result.txErrors + result.reordered, result.toLine());
            assertTrue(result.relayCpuS >= 0, result.toLine());
            assertEquals(8, relay.counter(RelayCounters.Type.BINDS), "each of the 8 legs bound once");
            assertTrue(relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED) >= 2 * result.tx);
            assertTrue(result.toJson().startsWith("{\"label\":\"test\",\"target\":\"introducer\""), result.toJson());
        }
    }

    @Test
    @Timeout(60)
    void directModeMeasuresTheGeneratorAlone() throws Exception
    {
        final LoadOptions options = LoadOptions.parse(new String[] {"--target", "direct", "--sessions", "2",
            "--rate", "2000", "--duration", "0.5", "--warmup", "0.2", "--size", "1200"});
        final LoadResult result;
        try (RelayLoad load = new RelayLoad(options))
        {
            result = load.run();
        }
        assertTrue(result.tx > 800, result.toLine());
        assertEquals(result.tx, result.rx, result.toLine());
        assertTrue(Double.isNaN(result.relayCpuS), "no relay, no relay CPU: " + result.toLine());
    }
}
