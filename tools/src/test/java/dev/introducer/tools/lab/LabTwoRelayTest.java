package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented deployment: two nodes, each introducer and relay, one shared secret. A hard ↔ hard pair is offered
 * a session on each node's relay; the peers must end on one session and every message must arrive.
 */
@DisplayName("hard↔hard peers connect through relays when every introducer node runs one")
class LabTwoRelayTest
{
    private static final int TRIALS = 10;
    private static final int MESSAGES = 1000;

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    @DisplayName("hard↔hard over 10 trials, a relay on both nodes: path relay, 1000 messages each way")
    void hardPairsConnectThroughEitherRelay() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("relay2", NatMode.HARD, NatMode.HARD, null, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final Path secret = LabRelays.writeSecret(logs);
            final List<NetLab.Background> nodes = LabRelays.startRelayNodes(lab, logs, secret);

            for (int trial = 1; trial <= TRIALS; trial++)
            {
                final List<CliRun> runs = LabRelays.hardPairThroughRelay(lab, "relay2-", trial, MESSAGES);
                for (final CliRun run : runs)
                {
                    assertEquals("relay", run.first("connected").orElseThrow().get("strategy"));
                }
            }

            long forwarded = 0;
            final List<Long> perNode = new ArrayList<>();
            for (final NetLab.Background node : nodes)
            {
                node.stop();
                perNode.add(((Number)LabRelays.relayStats(node).get("forwarded")).longValue());
                forwarded += perNode.get(perNode.size() - 1);
            }
            System.out.println("hard<->hard, a relay on both nodes: datagrams forwarded per relay over " + TRIALS +
                " trials: " + perNode);
            assertTrue(forwarded >= 2L * MESSAGES * TRIALS, "the relays forwarded every message: " + perNode);
        }
    }
}
