package dev.introducer.tools.lab;

import java.util.List;

/**
 * The outcome of one bounded process run by the lab harness.
 *
 * @param command  the command line as run.
 * @param exitCode the exit code, or -1 if the process was killed at its time limit.
 * @param stdout   everything the process wrote to standard output.
 * @param stderr   everything the process wrote to standard error.
 * @param timedOut whether the time limit ran out and the process was killed.
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut)
{
    /**
     * @return whether the process exited by itself with code 0.
     */
    public boolean succeeded()
    {
        return !timedOut && 0 == exitCode;
    }

    /**
     * Throws unless the process succeeded, with its output in the message, so a failing test shows why.
     *
     * @param what what the command was meant to do, for the message.
     * @return this result, for chaining.
     */
    public ExecResult requireSuccess(final String what)
    {
        if (!succeeded())
        {
            throw new LabException(what + " failed: " + describe());
        }
        return this;
    }

    /**
     * @return the command, how it ended and its output, for failure messages.
     */
    public String describe()
    {
        return String.join(" ", command) + System.lineSeparator()
            + (timedOut ? "  TIMED OUT (killed)" : "  exit code " + exitCode) + System.lineSeparator()
            + "  stdout: " + stdout.strip() + System.lineSeparator()
            + "  stderr: " + stderr.strip();
    }
}
