package dev.introducer.engine.core;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the core calls out: the observer hears each result before the application, messages reach the
 * application alone, and an exception from either is counted and handed on without reaching the core.
 */
class CallbacksTest
{
    private static final Id32 PEER = Id32.sha256("peer");

    /** Writes each call it gets, with its name, into a shared list. */
    private static EngineHandler recording(final String name, final List<String> calls, final boolean throwing)
    {
        return new EngineHandler()
        {
            private void called(final String what)
            {
                calls.add(name + ":" + what);
                if (throwing)
                {
                    throw new IllegalStateException(name + " " + what);
                }
            }

            public void onNatDiscovered(final NatReport report)
            {
                called("nat");
            }

            public void onPeerConnected(final Id32 peer, final PathType path, final Strategy strategy,
                final long timeToConnectNs, final int probes)
            {
                called("connected");
            }

            public void onPeerLost(final Id32 peer)
            {
                called("lost");
            }

            public void onNeedsRelay(final Id32 peer)
            {
                called("needs-relay");
            }

            public void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
            {
                called("failed");
            }

            public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
            {
                called("message");
            }
        };
    }

    private static void everyCall(final Callbacks callbacks)
    {
        callbacks.natDiscovered(
            new NatReport(NatType.EASY, NatReport.Mapping.UNKNOWN, NatReport.Filtering.UNKNOWN, null, null, 2));
        callbacks.peerConnected(PEER, PathType.DIRECT, Strategy.DIRECT, 1, 1);
        callbacks.peerLost(PEER);
        callbacks.needsRelay(PEER);
        callbacks.connectFailed(PEER, Strategy.DIRECT, ConnectFailure.TIMEOUT);
        callbacks.message(PEER, new UnsafeBuffer(new byte[4]), 0, 4);
    }

    @Test
    @DisplayName("the observer hears every result first; a message reaches the application alone")
    void observerFirstAndNeverOnTheDataPath()
    {
        final List<String> calls = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final EngineCounters counters = new EngineCounters();
        everyCall(new Callbacks(recording("app", calls, false), recording("journal", calls, false), errors::add,
            counters));
        assertEquals(List.of("journal:nat", "app:nat", "journal:connected", "app:connected", "journal:lost",
            "app:lost", "journal:needs-relay", "app:needs-relay", "journal:failed", "app:failed", "app:message"),
            calls);
        assertEquals(List.of(), errors);
        assertEquals(0, counters.get(EngineCounters.Type.CALLBACK_ERRORS));
    }

    @Test
    @DisplayName("an application that throws from every callback: each one counted and handed on, none escapes")
    void everyThrowCountedAndHandedOn()
    {
        final List<String> calls = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final EngineCounters counters = new EngineCounters();
        everyCall(new Callbacks(recording("app", calls, true), recording("journal", calls, false), errors::add,
            counters));
        assertEquals(6, errors.size());
        assertEquals("app message", errors.get(5).getMessage());
        assertEquals(6, counters.get(EngineCounters.Type.CALLBACK_ERRORS));
    }
}
