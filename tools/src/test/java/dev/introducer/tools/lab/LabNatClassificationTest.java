package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code introducer nat} asks the introducer node on srv (two addresses) how it is seen, and classifies the kernel
 * NAT in front of it correctly: masquerade is easy, fully-random masquerade is hard, no NAT is static. Each
 * classification takes at most 2 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("introducer nat classifies real kernel NATs")
class LabNatClassificationTest
{
    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    private static final long MAX_CLASSIFY_MILLIS = 2000;

    private NetLab lab;

    @BeforeAll
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void startLabAndIntroducerNode() throws IOException
    {
        LabSupport.assumeLab();
        lab = NetLab.start("natcls", NatMode.EASY, NatMode.HARD);
        final Path logs = Files.createDirectories(NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
        IntroducerCli.startNode(lab, logs.resolve("node.log"), Duration.ofSeconds(30));
    }

    @AfterAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tearDownLab()
    {
        if (null != lab)
        {
            lab.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("behind masquerade (router A) the NAT is easy, seen as 198.18.0.101")
    void masqueradeIsEasy()
    {
        assertClassified("a", "easy", "198.18.0.101");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("behind fully-random masquerade (router B) the NAT is hard, seen as 198.18.0.102")
    void fullyRandomMasqueradeIsHard()
    {
        assertClassified("b", "hard", "198.18.0.102");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a public host without NAT is static, seen as its own address 198.18.0.20")
    void publicHostIsStatic()
    {
        assertClassified("pub", "static", "198.18.0.20");
    }

    private void assertClassified(final String host, final String expectedNat, final String expectedPublicIp)
    {
        final CliRun run = new CliRun(host, lab.exec(host, RUN_LIMIT, IntroducerCli.command(
            "nat", "--json", "--introducer", IntroducerCli.INTRODUCER_1, "--introducer", IntroducerCli.INTRODUCER_2)));
        System.out.println("introducer nat in " + host + ": " + run.result().stdout().strip());
        final String context = run.describe();
        assertTrue(run.result().succeeded(), "introducer nat exits 0: " + context);

        final Map<String, Object> nat = run.object();
        assertEquals(expectedNat, nat.get("nat"), "classification: " + context);
        assertTrue(String.valueOf(nat.get("public")).startsWith(expectedPublicIp + ":"),
            "public address " + expectedPublicIp + ":PORT: " + context);
        for (final String field : new String[]{"mapping", "filtering", "local", "introducersAnswered", "ms"})
        {
            assertTrue(nat.containsKey(field), "field '" + field + "' present: " + context);
        }
        assertEquals(2L, nat.get("introducersAnswered"), "both introducer addresses answered: " + context);
        assertInstanceOf(Number.class, nat.get("ms"), "'ms' is a number: " + context);
        assertTrue(((Number)nat.get("ms")).doubleValue() <= MAX_CLASSIFY_MILLIS,
            "classified within " + MAX_CLASSIFY_MILLIS + " ms: " + context);
    }
}
