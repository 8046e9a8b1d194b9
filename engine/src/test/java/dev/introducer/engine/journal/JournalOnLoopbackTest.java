package dev.introducer.engine.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.Engine;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.transport.LoopbackEngines;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: two engines built with {@code attemptJournal(file)} connect through two introducers on loopback,
 * and the shared journal holds each side's attempt: connected, direct, strategy direct, static ↔ static.
 */
class JournalOnLoopbackTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    @DisplayName("two peers on loopback connect; the journal they share has both attempts, path and strategy direct")
    void connectedAttemptsAreJournalled() throws Exception
    {
        final Path file = dir.resolve("attempts.journal");
        try (LoopbackEngines world = new LoopbackEngines(false))
        {
            final LoopbackEngines.Recorder a = new LoopbackEngines.Recorder();
            final LoopbackEngines.Recorder b = new LoopbackEngines.Recorder();
            final Engine engineA = world.peer(a, false, (builder) -> builder.attemptJournal(file));
            final Engine engineB = world.peer(b, false, (builder) -> builder.attemptJournal(file));
            assertEquals(file, engineA.attemptJournal());
            final Id32 swarm = Id32.sha256("journal");
            engineA.join(swarm);
            engineB.join(swarm);
            assertTrue(LoopbackEngines.await(() -> a.connected.containsKey(engineB.localId()) &&
                b.connected.containsKey(engineA.localId()), Duration.ofSeconds(10)), "connected");

            final List<String> records = new ArrayList<>();
            try (AttemptJournalReader reader = AttemptJournalReader.open(file))
            {
                reader.readRetained((record) ->
                {
                    final boolean fromA = record.localIdPrefix() == engineA.localId().word(0);
                    assertEquals((fromA ? engineB : engineA).localId().word(0), record.peerIdPrefix());
                    assertEquals(NatType.STATIC, record.localNat(), "loopback has no NAT");
                    assertEquals(NatType.STATIC, record.remoteNat(), "the CONNECT said so");
                    assertTrue(record.durationNs() > 0 && record.durationNs() < 10_000_000_000L);
                    assertTrue(record.probes() >= 1);
                    assertTrue(Math.abs(System.currentTimeMillis() - record.epochMs()) < 60_000);
                    records.add((fromA ? "a " : "b ") + record.result().label() + " " + record.path().label() +
                        " " + record.strategy().label());
                });
            }
            records.sort(null);
            assertEquals(List.of("a connected direct direct", "b connected direct direct"), records);
            assertEquals(PathType.DIRECT, a.connected.get(engineB.localId()));
            assertEquals(Strategy.DIRECT, engineA.peer(engineB.localId()).strategy());
        }
    }
}
