package dev.introducer.engine.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.PathType;
import dev.introducer.engine.PeerInfo;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two engines on real sockets find each other through two introducers on loopback and exchange data, on epoll
 * and on the NIO fallback.
 */
class EngineOnLoopbackTest
{
    @ParameterizedTest(name = "nio={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(30)
    @DisplayName("two peers on loopback join a swarm, connect directly and exchange messages")
    void peersConnectAndTalk(final boolean forceNio) throws Exception
    {
        try (LoopbackEngines world = new LoopbackEngines(forceNio))
        {
            final LoopbackEngines.Recorder a = new LoopbackEngines.Recorder();
            final LoopbackEngines.Recorder b = new LoopbackEngines.Recorder();
            final Engine engineA = world.peer(a, forceNio);
            final Engine engineB = world.peer(b, forceNio);
            assertEquals(!forceNio && io.netty.channel.epoll.Epoll.isAvailable(), engineA.isEpoll());
            final Id32 swarm = Id32.sha256("loopback");
            engineA.join(swarm);
            engineB.join(swarm);

            assertTrue(LoopbackEngines.await(() -> a.connected.containsKey(engineB.localId()) &&
                b.connected.containsKey(engineA.localId()), Duration.ofSeconds(10)), "connected");
            assertEquals(NatType.STATIC, engineA.nat().natType(), "loopback has no NAT");
            assertEquals(PathType.DIRECT, a.connected.get(engineB.localId()));

            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < 50; i++)
            {
                final int result = engineA.send(engineB.localId(), payload, 0, 100);
                assertTrue(result == Engine.SEND_QUEUED || result == Engine.SEND_OK, "send result " + result);
            }
            assertTrue(LoopbackEngines.await(() -> b.messages.get() >= 45, Duration.ofSeconds(5)),
                "received " + b.messages.get() + " of 50");
            assertEquals(1, engineA.counter(EngineCounters.Type.DISCOVERY_RUNS),
                "one discovery run at start, no spurious rerun");
            final PeerInfo info = engineA.peer(engineB.localId());
            assertNotNull(info);
            assertTrue(info.connected());
            assertEquals(Engine.SEND_UNKNOWN_PEER, sendFromEngineThread(engineA, Id32.sha256("nobody")));
        }
    }

    private static int sendFromEngineThread(final Engine engine, final Id32 peer) throws Exception
    {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        engine.execute(() -> result.complete(engine.send(peer, new UnsafeBuffer(new byte[1]), 0, 1)));
        return result.get(5, TimeUnit.SECONDS);
    }
}
