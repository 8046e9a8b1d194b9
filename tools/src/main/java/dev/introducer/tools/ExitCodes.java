package dev.introducer.tools;

/**
 * The exit codes of every {@code introducer} command, so scripts and the lab tests can tell a failed run from a
 * mistyped command line.
 */
public final class ExitCodes
{
    /** The command did what was asked. */
    public static final int OK = 0;

    /** The command ran but did not succeed: a timeout, a lost peer, no answer. */
    public static final int FAILURE = 1;

    /** The command line was wrong: a bad option, a bad address, a port already in use. */
    public static final int USAGE = 2;

    private ExitCodes()
    {
    }
}
