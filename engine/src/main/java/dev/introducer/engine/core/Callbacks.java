package dev.introducer.engine.core;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;

/**
 * The one way the core reaches code that is not its own: the application's {@link EngineHandler} and the
 * attempt observer (the attempt journal). An exception thrown there is caught at the call, counted as
 * {@code callback_errors} and handed to the configured {@link ErrorHandler}, so the state change around the call
 * completes and the core keeps running for every other peer. The observer hears of each connection result before
 * the application; the data path ({@link #message}) reaches the application alone, with nothing in between.
 */
final class Callbacks
{
    private final EngineHandler application;
    private final EngineHandler observer;
    private final ErrorHandler errorHandler;
    private final EngineCounters counters;

    Callbacks(
        final EngineHandler application,
        final EngineHandler observer,
        final ErrorHandler errorHandler,
        final EngineCounters counters)
    {
        this.application = application;
        this.observer = observer;
        this.errorHandler = errorHandler;
        this.counters = counters;
    }

    void natDiscovered(final NatReport report)
    {
        try
        {
            observer.onNatDiscovered(report);
            application.onNatDiscovered(report);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    void peerConnected(
        final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
    {
        try
        {
            observer.onPeerConnected(peer, path, strategy, timeToConnectNs, probes);
            application.onPeerConnected(peer, path, strategy, timeToConnectNs, probes);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    void peerLost(final Id32 peer)
    {
        try
        {
            observer.onPeerLost(peer);
            application.onPeerLost(peer);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    void needsRelay(final Id32 peer)
    {
        try
        {
            observer.onNeedsRelay(peer);
            application.onNeedsRelay(peer);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    void connectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
    {
        try
        {
            observer.onConnectFailed(peer, strategy, reason);
            application.onConnectFailed(peer, strategy, reason);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    void message(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            application.onMessage(peer, buffer, offset, length);
        }
        catch (final Throwable ex)
        {
            failed(ex);
        }
    }

    private void failed(final Throwable ex)
    {
        counters.increment(EngineCounters.Type.CALLBACK_ERRORS);
        errorHandler.onError(ex);
    }
}
