package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two peers behind hard NATs (masquerade fully-random, the kernel's own) are connected through the node's relay:
 * the introducer offers a relay session, both bind with the token, and a thousand messages each way go through.
 */
@DisplayName("hard↔hard peers connect through the node's relay")
class LabRelayTest
{
    private static final int TRIALS = 5;
    private static final int MESSAGES = 1000;
    private static final String RELAY = "198.18.0.10:3478";

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("hard↔hard over 5 trials: path relay, 1000 messages each way, bound within 1 s")
    void hardPairsConnectThroughTheRelay() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("relay", NatMode.HARD, NatMode.HARD, null, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final Path secret = LabRelays.writeSecret(logs);
            final NetLab.Background node = IntroducerCli.startNode(lab, logs.resolve("node.log"),
                Duration.ofSeconds(30), List.of("--relay", RELAY, "--relay-secret-file", secret.toString()));
            lab.waitUdp("srv", 3478, 10);

            final List<Long> connectMillis = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++)
            {
                final List<CliRun> runs = LabRelays.hardPairThroughRelay(lab, "relay-", trial, MESSAGES);
                for (final CliRun run : runs)
                {
                    final Map<String, Object> connected = run.first("connected").orElseThrow();
                    assertEquals("relay", connected.get("strategy"));
                    connectMillis.add(((Number)connected.get("ms")).longValue());
                }
            }
            connectMillis.sort(null);
            System.out.println("hard<->hard via relay, bind-to-both-legs ms over " + TRIALS + " trials: " +
                connectMillis);
            assertTrue(connectMillis.get(connectMillis.size() - 1) <= 1000,
                "every relayed pair was bound (first relayed byte possible) within 1 s: " + connectMillis);

            node.stop();
            final Map<String, Object> stats = LabRelays.relayStats(node);
            System.out.println("relay counters: " + stats);
            assertTrue(((Number)stats.get("forwarded")).longValue() >= 2L * MESSAGES * TRIALS,
                "the relay forwarded every message: " + stats);
        }
    }
}
