package dev.introducer.engine.transport;

import java.util.concurrent.Callable;

import org.agrona.ErrorHandler;

import dev.introducer.engine.host.DistinctErrorLogger;

/**
 * Where the transport puts what its handler, its timer or a task threw on the transport's thread, so that nothing
 * reaches Netty's event loop and nothing is lost: the {@link TransportOptions#errorHandler} if one was given
 * (if it throws in turn, that is logged), else a log line. The log is a {@link DistinctErrorLogger}: one WARNING,
 * with the stack trace, per distinct error, so that an error on the data path cannot flood it.
 */
final class TransportErrors implements ErrorHandler
{
    private final DistinctErrorLogger log =
        new DistinctErrorLogger(System.getLogger(NettyTransport.class.getName()));

    private final ErrorHandler handler;

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
            log.onError(error);
            return;
        }
        try
        {
            handler.onError(error);
        }
        catch (final Throwable failure)
        {
            failure.addSuppressed(error);
            log.onError(failure);
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
}
