package dev.introducer.engine.transport;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.agrona.ErrorHandler;

/**
 * Where the transport puts what its handler, its timer or a task threw on the transport's thread, so that nothing
 * reaches Netty's event loop and nothing is lost: the {@link TransportOptions#errorHandler} if one was given
 * (if it throws in turn, that is logged), else a log line. The log has one WARNING, with the stack trace, per
 * distinct error (its type and the place it was thrown), and stops after {@link #MAX_DISTINCT} of them, so that an
 * error on the data path cannot flood it.
 */
final class TransportErrors implements ErrorHandler
{
    static final int MAX_DISTINCT = 64;
    private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

    private final ErrorHandler handler;
    private final Set<String> logged = new HashSet<>();
    private boolean full;

    /**
     * @param handler the application's handler, or null to log.
     */
    TransportErrors(final ErrorHandler handler)
    {
        this.handler = handler;
    }

    /**
     * {@inheritDoc}
     */
    public void onError(final Throwable error)
    {
        if (null == handler)
        {
            logOnce(error);
            return;
        }
        try
        {
            handler.onError(error);
        }
        catch (final Throwable failure)
        {
            failure.addSuppressed(error);
            logOnce(failure);
        }
    }

    /**
     * Runs a task, handing what it throws to {@link #onError}.
     *
     * @param task to run.
     */
    void run(final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /**
     * Calls a task, handing what it throws to {@link #onError} and on to the caller (its future fails with it).
     *
     * @param task to call.
     * @param <T>  its result type.
     * @return its result.
     * @throws Exception what the task threw.
     */
    <T> T call(final Callable<T> task) throws Exception
    {
        try
        {
            return task.call();
        }
        catch (final Exception | Error ex)
        {
            onError(ex);
            throw ex;
        }
    }

    private synchronized void logOnce(final Throwable error)
    {
        if (full)
        {
            return;
        }
        final StackTraceElement[] trace = error.getStackTrace();
        final String key = error.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
        if (logged.contains(key))
        {
            return;
        }
        if (logged.size() == MAX_DISTINCT)
        {
            full = true;
            LOG.log(System.Logger.Level.WARNING, MAX_DISTINCT + " distinct errors logged, no more", error);
            return;
        }
        logged.add(key);
        LOG.log(System.Logger.Level.WARNING, "unhandled error on the transport's thread (logged once)", error);
    }
}
