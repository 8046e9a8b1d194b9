package dev.introducer.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.protocol.Endpoint;

/**
 * The load generator's command line: loopback only, bounded, and the secret read as the node reads it.
 */
class LoadOptionsTest
{
    private static final String SECRET = "0123456789abcdef0123";

    private static LoadOptions parse(final String... args)
    {
        return LoadOptions.parse(args);
    }

    private static String reason(final String... args)
    {
        return assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args)).getMessage();
    }

    @Test
    void refusesEveryRelayOutsideLoopback()
    {
        for (final String relay : new String[] {"10.0.0.1:40000", "192.168.1.1:3478", "0.0.0.0:40000",
            "128.0.0.1:40000", "[::1]:40000", "8.8.8.8:53"})
        {
            assertTrue(reason("--target", "relayfwd", "--relay", relay, "--max").contains("refusing"), relay);
        }
        assertThrows(IllegalArgumentException.class,
            () -> parse("--target", "relayfwd", "--relay", "localhost:40000", "--max"));
        assertEquals(40000, parse("--target", "relayfwd", "--relay", "127.0.0.1:40000", "--max").relay.getPort());
        assertEquals(9, parse("--target", "relayfwd", "--relay", "127.1.2.3:9", "--max").relay.getPort());
    }

    @Test
    void boundsTimeSessionsAndSize()
    {
        final String[] base = {"--target", "relayfwd", "--relay", "127.0.0.1:40000", "--max"};
        assertTrue(reason(concat(base, "--duration", "61")).contains("--duration"));
        assertTrue(reason(concat(base, "--duration", "0")).contains("--duration"));
        assertTrue(reason(concat(base, "--warmup", "31")).contains("--warmup"));
        assertTrue(reason(concat(base, "--sessions", "1025")).contains("--sessions"));
        assertTrue(reason(concat(base, "--size", "31")).contains("--size"));
        assertTrue(reason(concat(base, "--size", "1473")).contains("--size"));
        final LoadOptions o = parse(concat(base, "--duration", "60", "--warmup", "0", "--size", "1200"));
        assertEquals(60.0, o.durationS);
        assertEquals(0.0, o.warmupS);
        assertEquals(1200, o.size);
        assertEquals(0, o.rate);
        assertEquals(16, o.sessions);
    }

    @Test
    void needsExactlyOneOfRateAndMax()
    {
        assertTrue(reason("--target", "relayfwd", "--relay", "127.0.0.1:1").contains("exactly one"));
        assertTrue(reason("--target", "relayfwd", "--relay", "127.0.0.1:1", "--max", "--rate", "5").contains(
            "exactly one"));
        assertEquals(50_000, parse("--target", "relayfwd", "--relay", "127.0.0.1:1", "--rate", "50000").rate);
    }

    @Test
    void introducerNeedsASecretOfAtLeast16BytesReadLikeTheNode(@TempDir final Path dir) throws Exception
    {
        final String[] base = {"--target", "introducer", "--relay", "127.0.0.1:40100", "--max"};
        assertTrue(reason(base).contains("--secret"));
        assertTrue(reason(concat(base, "--secret", "short")).contains("shorter"));
        final Path file = dir.resolve("secret");
        Files.writeString(file, "  " + SECRET + "\n");
        final LoadOptions o = parse(concat(base, "--secret-file", file.toString()));
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), o.secret);
        assertEquals(Endpoint.parse("127.0.0.1:40100"), o.relayPublic);
        assertEquals(Endpoint.parse("198.51.100.7:3478"),
            parse(concat(base, "--secret", SECRET, "--relay-public", "198.51.100.7:3478")).relayPublic);
    }

    @Test
    void directTakesNoRelay()
    {
        assertTrue(reason("--target", "direct", "--relay", "127.0.0.1:1", "--max").contains("direct"));
        assertEquals(LoadOptions.Target.DIRECT, parse("--target", "direct", "--max").target);
        assertTrue(reason("--target", "coturn", "--max").contains("--target"));
        assertTrue(reason("--target", "direct", "--max", "--bogus").contains("unknown"));
    }

    private static String[] concat(final String[] a, final String... b)
    {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
