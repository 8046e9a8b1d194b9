package dev.introducer.tools;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import picocli.CommandLine;

/**
 * What every subcommand shares: the console over picocli's writers, and the mapping of user errors to one line
 * and exit code {@link ExitCodes#USAGE}. The mapping lives here as well as in {@link ErrorHandlers} so that a
 * subcommand started from a bare {@code new CommandLine(new IntroducerCommand())} behaves the same as from the
 * launcher.
 */
abstract class AbstractEngineCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command, reporting a user error as one line.
     *
     * @return the exit code.
     */
    public final Integer call()
    {
        final Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
        try
        {
            return execute(console);
        }
        catch (final UserException | IllegalArgumentException | UncheckedIOException ex)
        {
            console.error(ErrorHandlers.oneLine(ex));
            return ExitCodes.USAGE;
        }
    }

    /**
     * The command's work.
     *
     * @param console where to write.
     * @return the exit code, one of {@link ExitCodes}.
     */
    abstract int execute(Console console);

    /**
     * Waits for a result, at most a time.
     *
     * @param result    the future.
     * @param timeoutMs how long.
     * @param onTimeout what a timeout or an interrupt yields.
     * @param <T>       the result type.
     * @return the result, or {@code onTimeout}.
     */
    static <T> T await(
        final java.util.concurrent.CompletableFuture<T> result, final long timeoutMs, final T onTimeout)
    {
        try
        {
            return result.get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            return onTimeout;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return onTimeout;
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause());
        }
    }
}
