package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.tools.lab.BoundedProcess;
import dev.introducer.tools.lab.IntroducerCli;
import dev.introducer.tools.lab.LabException;
import dev.introducer.tools.lab.LabSupport;

/**
 * {@code introducer demo} through the NAT lab (root, netns, nftables; on CI it must run): every pair takes its
 * path, and the lab is taken down after a run, after an error and after Ctrl-C.
 */
@DisplayName("introducer demo in the NAT lab")
class DemoLabTest
{
    private static final Pattern LAB_UP = Pattern.compile("lab '(nl[a-z0-9-]+)' is up");
    private static final Map<String, String> EXPECTED_PATHS = Map.of(
        "easy↔easy", "direct",
        "easy↔hard", "direct",
        "hard↔easy", "direct",
        "hard↔hard (relayed)", "relay",
        "same NAT (local)", "local",
        "public↔hard", "direct");

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    @DisplayName("each pair takes its path: relay for hard↔hard, local for the same NAT, direct for the others")
    void everyPairTakesItsPathAndTheLabComesDown() throws IOException
    {
        LabSupport.assumeLab();
        final CommandRun demo = new CommandRun().execute("demo", "--messages", "50");

        assertEquals(ExitCodes.OK, demo.exitCode(), demo::transcript);
        final List<DemoTableRow> rows = DemoTableRow.parse(demo.out());
        assertEquals(DemoCase.ALL.stream().map(DemoCase::name).toList(),
            rows.stream().map(DemoTableRow::name).toList(), demo::transcript);
        for (final DemoTableRow row : rows)
        {
            assertEquals(EXPECTED_PATHS.get(row.name()), row.path(), "path of " + row + "\n" + demo.transcript());
            assertEquals("50/50", row.echoed(), "every message came back: " + row);
            assertEquals("ok", row.result(), row::toString);
        }
        assertEquals("easy ↔ hard", row(rows, "easy↔hard").nats(), demo::transcript);
        assertEquals("hard ↔ hard", row(rows, "hard↔hard (relayed)").nats(), demo::transcript);
        assertEquals("static ↔ hard", row(rows, "public↔hard").nats(), demo::transcript);
        assertTrue(demo.err().contains("introducer: demo: tearing the lab down…"), demo::transcript);
        assertNoNamespaces(labPrefix(demo.err()));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @DisplayName("an error after the lab is up ends the demo with exit 1 and one line, and the lab comes down")
    void anErrorStillTakesTheLabDown() throws IOException
    {
        LabSupport.assumeLab();
        final CommandRun demo = new CommandRun();
        demo.<DemoCommand>subcommand("demo").afterIntroducersStarted = () ->
        {
            throw new LabException("injected failure");
        };
        demo.execute("demo");

        assertEquals(ExitCodes.FAILURE, demo.exitCode(), demo::transcript);
        assertTrue(demo.err().contains("introducer: error: demo failed: injected failure (logs in "),
            demo::transcript);
        assertTrue(demo.err().contains("introducer: demo: tearing the lab down…"), demo::transcript);
        assertFalse(demo.err().contains("\tat "), "no stack trace: " + demo.transcript());
        assertNoNamespaces(labPrefix(demo.err()));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @DisplayName("Ctrl-C (SIGINT) in the middle of a pair takes the lab down")
    void ctrlCTakesTheLabDown() throws IOException, InterruptedException
    {
        LabSupport.assumeLab();
        final Path log = Files.createTempFile("demo-sigint", ".log");
        final Process demo = new ProcessBuilder(IntroducerCli.command("demo"))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!BoundedProcess.read(log).contains("case 1/6 easy↔easy: connecting"))
            {
                assertTrue(demo.isAlive(), () -> "the demo runs: " + BoundedProcess.read(log));
                assertTrue(System.nanoTime() - deadline < 0,
                    () -> "the demo reached case 1: " + BoundedProcess.read(log));
                Thread.sleep(50);
            }
            final String prefix = labPrefix(BoundedProcess.read(log));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor());
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS),
                () -> "the demo ends on SIGINT: " + BoundedProcess.read(log));
            assertNoNamespaces(prefix);
        }
        finally
        {
            demo.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static DemoTableRow row(final List<DemoTableRow> rows, final String name)
    {
        return rows.stream().filter(row -> name.equals(row.name())).findFirst().orElseThrow();
    }

    private static String labPrefix(final String progress)
    {
        final Matcher matcher = LAB_UP.matcher(progress);
        assertTrue(matcher.find(), "the demo names its lab: " + progress);
        return matcher.group(1);
    }

    private static void assertNoNamespaces(final String prefix) throws IOException
    {
        try (Stream<Path> namespaces = Files.list(Path.of("/run/netns")))
        {
            final List<String> left = namespaces.map(p -> p.getFileName().toString())
                .filter(name -> name.startsWith(prefix + "-")).toList();
            assertEquals(List.of(), left, "no namespace of lab " + prefix + " is left");
        }
    }
}
