package dev.introducer.tools.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the NAT lab harness end to end: Java processes in lab namespaces, talking through the kernel's own NATs,
 * see the mappings that the NAT modes promise. The tests of the real CLI build on exactly these steps.
 */
class LabSmokeTest
{
    private static final String SERVER_1 = "198.18.0.10:3478";
    private static final String SERVER_2 = "198.18.0.11:3478";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void javaProcessesInTheLabSeeTheMappingsOfRealKernelNats(@TempDir final Path logs)
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("smoke", NatMode.EASY, NatMode.HARD))
        {
            final NetLab.Background echo = lab.startBackground("srv", logs.resolve("echo.log"),
                NetLab.javaCommand(UdpEcho.class.getName(), "--max-seconds", "120", SERVER_1, SERVER_2));
            lab.waitUdp("srv", 3478, 30);
            echo.awaitLog(UdpEcho.READY, Duration.ofSeconds(30));

            final Map<String, String> behindEasy = probe(lab, "a");
            assertEquals("198.18.0.101", ip(behindEasy.get(SERVER_1)), "easy NAT A: public address, " + behindEasy);
            assertEquals("198.18.0.101", ip(behindEasy.get(SERVER_2)), "easy NAT A: public address, " + behindEasy);
            assertEquals(port(behindEasy.get(SERVER_1)), port(behindEasy.get(SERVER_2)),
                "easy NAT A maps one socket to one public port for every server: " + behindEasy);

            final Map<String, String> behindHard = probe(lab, "b");
            assertEquals("198.18.0.102", ip(behindHard.get(SERVER_1)), "hard NAT B: public address, " + behindHard);
            assertEquals("198.18.0.102", ip(behindHard.get(SERVER_2)), "hard NAT B: public address, " + behindHard);
            assertNotEquals(port(behindHard.get(SERVER_1)), port(behindHard.get(SERVER_2)),
                "hard NAT B maps one socket to a new public port per server: " + behindHard);

            final Map<String, String> fromPublic = probe(lab, "pub");
            assertEquals("198.18.0.20", ip(fromPublic.get(SERVER_1)), "pub has no NAT: " + fromPublic);
            assertEquals("198.18.0.20", ip(fromPublic.get(SERVER_2)), "pub has no NAT: " + fromPublic);
            assertEquals(port(fromPublic.get("local")), port(fromPublic.get(SERVER_1)), "pub is seen as it is: " + fromPublic);
            assertEquals(port(fromPublic.get("local")), port(fromPublic.get(SERVER_2)), "pub is seen as it is: " + fromPublic);

            assertTrue(echo.isAlive(), "the echo server keeps running until the lab goes down: " + echo.log());
        }
    }

    /**
     * Runs {@link UdpProbe} in {@code host} against both servers.
     *
     * @return what each server observed, by server, plus the probe's own socket under {@code "local"}.
     */
    private static Map<String, String> probe(final NetLab lab, final String host)
    {
        final ExecResult result = lab.exec(host, PROBE_TIMEOUT,
                NetLab.javaCommand(UdpProbe.class.getName(), SERVER_1, SERVER_2))
            .requireSuccess("UdpProbe in " + host);
        final Map<String, String> seen = new LinkedHashMap<>();
        for (final String line : result.stdout().split("\\R"))
        {
            final List<String> words = List.of(line.strip().split(" "));
            if (2 == words.size() && "local".equals(words.get(0)))
            {
                seen.put("local", words.get(1));
            }
            else if (3 == words.size() && "observed".equals(words.get(0)))
            {
                seen.put(words.get(1), words.get(2));
            }
        }
        assertTrue(seen.containsKey(SERVER_1) && seen.containsKey(SERVER_2),
            "UdpProbe in " + host + " reported both servers: " + result.describe());
        System.out.println("UdpProbe in " + host + ": " + seen);
        return seen;
    }

    private static String ip(final String endpoint)
    {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }

    private static int port(final String endpoint)
    {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
