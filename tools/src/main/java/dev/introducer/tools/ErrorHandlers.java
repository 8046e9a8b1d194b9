package dev.introducer.tools;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.CommandLine;

/**
 * picocli's exception handlers for the {@code introducer} command: a bad command line or a user error is one line
 * on stderr and exit code {@link ExitCodes#USAGE}; only a bug prints a stack trace (exit code
 * {@link ExitCodes#FAILURE}).
 */
final class ErrorHandlers implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler
{
    /**
     * {@inheritDoc}
     */
    public int handleParseException(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println(Console.PREFIX + "error: " + oneLine(ex) +
            " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * {@inheritDoc}
     */
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        if (ex instanceof UserException || ex instanceof IllegalArgumentException ||
            ex instanceof UncheckedIOException)
        {
            err.println(Console.PREFIX + "error: " + oneLine(ex));
            err.flush();
            return ExitCodes.USAGE;
        }
        err.println(Console.PREFIX + "internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCodes.FAILURE;
    }

    /**
     * An exception's message on one line, for the {@code introducer: error:} line.
     *
     * @param ex the exception.
     * @return its message with line breaks folded, or its class name when it has none.
     */
    static String oneLine(final Throwable ex)
    {
        final String message = null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
