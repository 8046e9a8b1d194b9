package dev.introducer.tools;

/**
 * A mistake of the user (bad address, port in use, out-of-range value): reported as one line
 * {@code introducer: error: <reason>} with exit code {@link ExitCodes#USAGE}, never with a stack trace.
 */
public final class UserException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A user error.
     *
     * @param reason one line, without the {@code introducer: error:} prefix.
     */
    public UserException(final String reason)
    {
        super(reason, null, false, false);
    }
}
