package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code tools/bin/introducer} runs the shaded jar {@code tools/target/introducer.jar} from any working
 * directory and through a symlink. Runs after {@code package} (a surefire execution in the integration-test phase:
 * {@code mvn verify}), when the jar exists.
 */
@DisplayName("tools/bin/introducer finds the shaded jar")
class LauncherIT
{
    /** The module directory: surefire runs tests there. */
    private static final Path TOOLS = Path.of("").toAbsolutePath();
    private static final Path LAUNCHER = TOOLS.resolve("bin").resolve("introducer");

    @TempDir
    Path elsewhere;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("from another working directory: --version and --help")
    void runsFromAnyWorkingDirectory() throws Exception
    {
        assertTrue(Files.isRegularFile(TOOLS.resolve("target").resolve("introducer.jar")), "the shaded jar exists");
        final Result version = run(elsewhere, Map.of(), LAUNCHER.toString(), "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.output().startsWith("introducer "), version::toString);

        final Result help = run(elsewhere, Map.of(), LAUNCHER.toString(), "--help");
        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.output().startsWith("Usage: introducer [-hV] [COMMAND]"), help::toString);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("through a symlink in another directory, from the root directory")
    void runsThroughASymlink() throws Exception
    {
        final Path link = Files.createSymbolicLink(elsewhere.resolve("introducer"), LAUNCHER);
        final Result version = run(Path.of("/"), Map.of(), link.toString(), "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.output().startsWith("introducer "), version::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("without the jar: one line that says how to build it, exit 2")
    void saysHowToBuildTheJarWhenItIsMissing() throws Exception
    {
        final Path missing = elsewhere.resolve("missing.jar");
        final Result result = run(elsewhere, Map.of("INTRODUCER_JAR", missing.toString()), LAUNCHER.toString(),
            "--version");
        assertEquals(2, result.exitCode(), result::toString);
        assertEquals("introducer: " + missing + " not found; build it first with: mvn -B -q package -DskipTests",
            result.output().strip());
    }

    private static Result run(final Path directory, final Map<String, String> environment, final String... command)
        throws IOException, InterruptedException
    {
        final Path output = Files.createTempFile("launcher", ".txt");
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            final Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }

    private record Result(int exitCode, String output)
    {
    }
}
