package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * What the relay lab tests share: a fleet secret in a file, and a stopped node's relay counters.
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
