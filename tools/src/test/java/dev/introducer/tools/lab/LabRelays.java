package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the relay lab tests share: a fleet secret in a file, one hard↔hard trial, and a stopped node's relay
 * counters.
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
