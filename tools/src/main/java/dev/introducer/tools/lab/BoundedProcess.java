package dev.introducer.tools.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a process to completion within a time limit.
 * <p>
 * Output goes to temporary files rather than pipes: a background process that netlab.sh leaves behind could
 * otherwise hold a pipe open and make reading it block far beyond the limit.
 */
public final class BoundedProcess
{
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private BoundedProcess()
    {
    }

    /**
     * Runs a command with stdin from /dev/null and waits for it, at most {@code timeout}; then kills it and its
     * descendants.
     *
     * @param command the command line.
     * @param timeout when to kill it.
     * @return its exit code (-1 if killed) and output.
     * @throws LabException if it cannot be started.
     */
    public static ExecResult run(final List<String> command, final Duration timeout)
    {
        Path stdoutFile = null;
        Path stderrFile = null;
        try
        {
            stdoutFile = Files.createTempFile("netlab-out", ".txt");
            stderrFile = Files.createTempFile("netlab-err", ".txt");
            final Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile())
                .start();
            final boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited)
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            return new ExecResult(
                List.copyOf(command),
                exited ? process.exitValue() : -1,
                read(stdoutFile),
                read(stderrFile),
                !exited);
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot run " + String.join(" ", command), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", command), ex);
        }
        finally
        {
            deleteQuietly(stdoutFile);
            deleteQuietly(stderrFile);
        }
    }

    /**
     * Reads a whole text file as UTF-8, a cut-off last character replaced rather than failing.
     *
     * @param file the file.
     * @return its text.
     */
    public static String read(final Path file)
    {
        try
        {
            // a log may end in the middle of a multi-byte character; decoding replaces it instead of failing
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        if (null == file)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // a leftover temp file is harmless
        }
    }
}
