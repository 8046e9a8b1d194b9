package dev.introducer.engine.journal;

/**
 * An attempt journal cannot be opened: the file is missing, unreadable, truncated, corrupt or of another format.
 * The message names the file and says what is wrong, for one line of output.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message what is wrong, with the file's name.
     * @param cause   the I/O error, or null.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
