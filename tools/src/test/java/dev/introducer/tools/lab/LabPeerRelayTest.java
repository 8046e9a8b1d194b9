package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer relay through real kernel NATs: a and b behind hard NATs (masquerade fully-random), c behind an easy one
 * (port-preserving masquerade, whose conntrack filtering lets in only what answers c's own flows) opted in with
 * {@code --relay-for-swarms}, and an introducer node without {@code --relay}. Each of a and b punches a path to c
 * (hard ↔ easy spray), then binds its leg of the session at c over that path; c forwards between its two paths.
 */
@DisplayName("hard↔hard peers connect through c, a peer that relays for its swarms")
class LabPeerRelayTest
{
    private static final int TRIALS = 5;
    private static final int MESSAGES = 1000;
    private static final String C_PUBLIC_IP = "198.18.0.103";

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    @DisplayName("hard↔hard via an easy peer c over 5 trials: path relay, 1000 messages each way, c forwards them")
    void hardPairsConnectThroughAnOptedInPeer() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("prelay", NatMode.HARD, NatMode.HARD, NatMode.EASY, null, null))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final NetLab.Background node = IntroducerCli.startNode(lab, logs.resolve("node.log"),
                Duration.ofSeconds(30));

            final List<Long> relayMillis = new ArrayList<>();
            long forwarded = 0;
            for (int trial = 1; trial <= TRIALS; trial++)
            {
                // re-applying a mode flushes the router's conntrack: every trial is a first contact
                lab.setNat("a", NatMode.HARD);
                lab.setNat("b", NatMode.HARD);
                lab.setNat("c", NatMode.EASY);
                final byte[] nonce = new byte[6];
                new SecureRandom().nextBytes(nonce);
                final String swarm = "prelay-" + trial + "-" + HexFormat.of().formatHex(nonce);
                // c exchanges messages with a and b too (they count it as one of their two peers), lingers 8 s,
                // relaying, while they finish, then exits by itself and prints its relay counters.
                final NetLab.Background c = lab.startBackground("c", logs.resolve("c-" + trial + ".log"),
                    IntroducerCli.command(IntroducerCli.peerArgs(swarm, "--bind", "0.0.0.0:" + IntroducerCli.PORT,
                    "--relay-for-swarms", "--expect-peers", "2", "--messages", Integer.toString(MESSAGES),
                    "--timeout", "60", "--linger", "8")));
                c.awaitLog("\"event\":\"nat\"", Duration.ofSeconds(20));
                final List<String> args = IntroducerCli.peerArgs(swarm,
                    "--bind", "0.0.0.0:" + IntroducerCli.PORT, "--expect-peers", "2",
                    "--messages", Integer.toString(MESSAGES), "--timeout", "30");
                final List<CliRun> runs = IntroducerCli.runTogether(lab, Duration.ofSeconds(60), List.of(
                    new IntroducerCli.Invocation("a", args), new IntroducerCli.Invocation("b", args)));
                final boolean cEnded = c.awaitExit(Duration.ofSeconds(30));
                c.stop();
                final String cLog = c.log();
                assertTrue(cEnded, "c ended by itself after its linger: " + cLog);
                final List<LabPeer> sides = List.of(LabPeer.a("hard"), LabPeer.b("hard"));
                for (int i = 0; i < 2; i++)
                {
                    final CliRun run = runs.get(i);
                    final String context = sides.get(i).label() + ", trial " + trial + ": " + run.describe() +
                        System.lineSeparator() + "  c: " + cLog;
                    assertEquals(0, run.result().exitCode(), "exchanged with both peers: " + context);
                    sides.get(i).assertNatEvent(run);
                    final List<Map<String, Object>> connected = run.events("connected");
                    assertEquals(2, connected.size(), "connected to c and to the other side: " + context);
                    final List<Map<String, Object>> relayed = connected.stream()
                        .filter((event) -> "relay".equals(event.get("path"))).toList();
                    assertEquals(1, relayed.size(), "the other hard side over path relay: " + context);
                    assertEquals("direct", connected.stream().filter((event) -> !relayed.contains(event))
                        .findFirst().orElseThrow().get("path"), "c directly (spray): " + context);
                    relayMillis.add(((Number)relayed.get(0).get("ms")).longValue());
                    assertTrue(run.events("lost").isEmpty(), "nobody lost: " + context);
                    final Map<String, Object> summary = run.last("summary").orElseThrow();
                    assertTrue(((Number)summary.get("received")).longValue() >= 2L * MESSAGES,
                        "all messages from c and from the other side: " + context);
                }
                final Map<String, Object> cNat = FlatJson.parseObjectLines(cLog.substring(0,
                    cLog.lastIndexOf('\n') + 1)).stream().filter((event) -> "nat".equals(event.get("event")))
                    .findFirst().orElseThrow();
                assertEquals("easy", cNat.get("nat"), "c is behind an easy NAT: " + cLog);
                assertTrue(String.valueOf(cNat.get("public")).startsWith(C_PUBLIC_IP + ":"), cLog);
                final Map<String, Object> stats = FlatJson.parseObjectLines(cLog.substring(0,
                    cLog.lastIndexOf('\n') + 1)).stream().filter((event) -> "relay-stats".equals(event.get("event")))
                    .findFirst().orElseThrow(() -> new AssertionError("c printed its relay counters: " + cLog));
                final long trialForwarded = ((Number)stats.get("forwarded")).longValue();
                assertTrue(trialForwarded >= 2L * MESSAGES, "c forwarded every message of a and b: " + stats);
                forwarded += trialForwarded;
            }
            relayMillis.sort(null);
            System.out.println("hard<->hard via peer relay c: ms from the relay offer to both legs bound at c " +
                "(the first relayed byte can leave), over " + TRIALS + " trials, both sides: " + relayMillis +
                "; c forwarded " + forwarded + " datagrams");
            assertTrue(relayMillis.get(relayMillis.size() - 1) <= 3000,
                "every relayed pair was bound at c within 3 s of the offer: " + relayMillis);
            node.stop();
        }
    }
}
