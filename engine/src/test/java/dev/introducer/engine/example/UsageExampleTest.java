package dev.introducer.engine.example;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.Engine;
import dev.introducer.engine.transport.LoopbackEngines;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's usage example runs: two peers built by it connect on loopback.
 */
class UsageExampleTest
{
    @Test
    @Timeout(30)
    @DisplayName("the README usage example connects two peers")
    void readmeExampleWorks() throws Exception
    {
        final Engine node1 = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build();
        final Engine node2 = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build();
        final String i1 = "127.0.0.1:" + node1.localAddress().getPort();
        final String i2 = "127.0.0.1:" + node2.localAddress().getPort();
        try (node1; node2;
            Engine a = UsageExample.startPeer(i1, i2, "example");
            Engine b = UsageExample.startPeer(i1, i2, "example"))
        {
            assertTrue(LoopbackEngines.await(() -> isConnected(a, b) && isConnected(b, a), Duration.ofSeconds(10)));
        }
    }

    private static boolean isConnected(final Engine engine, final Engine other)
    {
        final dev.introducer.engine.PeerInfo info = engine.peer(other.localId());
        return null != info && info.connected();
    }
}
