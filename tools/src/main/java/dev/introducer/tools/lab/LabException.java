package dev.introducer.tools.lab;

/**
 * The NAT lab could not do what a test asked of it: a netlab.sh command failed or timed out, a process did not
 * start, a port was not bound in time.
 */
public final class LabException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the output that tells why.
     */
    public LabException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   the underlying failure.
     */
    public LabException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
