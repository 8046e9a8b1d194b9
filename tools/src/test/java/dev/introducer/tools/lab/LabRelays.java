package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the relay lab tests share: a fleet secret in a file, nodes that relay, one hard↔hard trial, and a stopped
 * node's relay counters.
 */
final class LabRelays
{
    private LabRelays()
    {
    }

    /**
     * Writes a fresh random relay secret (32 bytes, hex) to {@code relay.secret} in a directory.
     *
     * @return the file, for {@code --relay-secret-file}.
     */
    static Path writeSecret(final Path directory) throws IOException
    {
        final Path secret = directory.resolve("relay.secret");
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.writeString(secret, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
        return secret;
    }

    /** The relay port of the lab's nodes. */
    static final int RELAY_PORT = 3478;

    /** The two introducer addresses on srv, one node on each when every node runs a relay. */
    static final List<String> NODE_ADDRESSES = List.of("198.18.0.10", "198.18.0.11");

    /**
     * The documented deployment: one node per introducer address, each introducer and relay, one shared secret.
     * Waits until both listen and the relays are bound.
     *
     * @param lab    the lab.
     * @param logs   where the node logs ({@code node1.log}, {@code node2.log}) and counters go.
     * @param secret the fleet secret ({@link #writeSecret}).
     * @return the two nodes, in the order of {@link #NODE_ADDRESSES}.
     */
    static List<NetLab.Background> startRelayNodes(final NetLab lab, final Path logs, final Path secret)
    {
        final List<NetLab.Background> nodes = new ArrayList<>();
        for (int i = 0; i < NODE_ADDRESSES.size(); i++)
        {
            nodes.add(startRelayNode(lab, logs.resolve("node" + (i + 1) + ".log"), NODE_ADDRESSES.get(i), secret));
        }
        lab.waitUdp("srv", RELAY_PORT, 10);
        return nodes;
    }

    /**
     * One node of {@link #startRelayNodes}, started again after a crash, say: the same address, a new process.
     *
     * @param lab     the lab.
     * @param log     its log; the counters file goes next to it.
     * @param address one of {@link #NODE_ADDRESSES}.
     * @param secret  the fleet secret.
     * @return the node, listening.
     */
    static NetLab.Background startRelayNode(final NetLab lab, final Path log, final String address, final Path secret)
    {
        final String listen = address + ":" + IntroducerCli.PORT;
        final NetLab.Background node = lab.startBackground("srv", log, IntroducerCli.command(
            "node", "--listen", listen, "--json",
            "--counters-file", log.resolveSibling(log.getFileName() + ".counters.dat").toString(),
            "--relay", address + ":" + RELAY_PORT, "--relay-secret-file", secret.toString()));
        IntroducerCli.awaitListening(node, Set.of(listen), Duration.ofSeconds(30));
        return node;
    }

    /**
     * One trial: a and b (both behind hard NATs) join a fresh swarm, exchange {@code messages} each way, and must
     * both report a connection with path relay and every message received.
     *
     * @return the two peers' runs, for the caller's own checks.
     */
    static List<CliRun> hardPairThroughRelay(final NetLab lab, final String swarmPrefix, final int trial,
        final int messages)
    {
        final byte[] nonce = new byte[6];
        new SecureRandom().nextBytes(nonce);
        final String swarm = swarmPrefix + trial + "-" + HexFormat.of().formatHex(nonce);
        final List<String> args = IntroducerCli.peerArgs(swarm,
            "--bind", "0.0.0.0:" + IntroducerCli.PORT, "--messages", Integer.toString(messages), "--timeout", "30");
        final List<CliRun> runs = IntroducerCli.runTogether(lab, Duration.ofSeconds(60), List.of(
            new IntroducerCli.Invocation("a", args), new IntroducerCli.Invocation("b", args)));
        LabPeer.assertBothConnected(List.of(LabPeer.a("hard"), LabPeer.b("hard")), runs, "relay", messages);
        return runs;
    }

    /**
     * The {@code relay-stats} event a node prints when it stops.
     */
    static Map<String, Object> relayStats(final NetLab.Background stoppedNode)
    {
        final String log = stoppedNode.log();
        return FlatJson.parseObjectLines(log.substring(0, log.lastIndexOf('\n') + 1)).stream()
            .filter((event) -> "relay-stats".equals(event.get("event"))).findFirst()
            .orElseThrow(() -> new AssertionError("the node printed its relay counters: " + log));
    }
}
