package dev.introducer.tools;

import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.ConnectFailure;
import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.NatReport;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * The test-message exchange of {@code introducer peer}: the engine's handler, and the rounds of messages.
 * <p>
 * Everything here runs on the engine's thread (handlers, and {@link #tick} through {@link Engine#execute}), so the
 * state needs no locks and the sends allocate nothing: one reused payload buffer. The command's thread only
 * waits for {@link #succeeded()} and asks for a {@link #summary} on the engine's thread.
 * <p>
 * Payload of a test message: byte 0 the round (1 or 2), bytes 1..4 the sequence 0..N-1 (big-endian int), the rest
 * zeros. A receiver counts distinct sequences per peer and round; UDP may drop, so the current round's whole batch
 * is sent again to every connected peer each second.
 */
final class PeerSession implements EngineHandler
{
    /** Bytes of a test message that carry something: the round and the sequence. */
    static final int HEADER_LENGTH = 5;

    private static final long RESEND_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Where the run is. Rounds are numbered as in the payload.
     */
    enum Phase
    {
        /** Sending round 1 until it is complete from enough peers. */
        ROUND_1,
        /** Round 1 done; no messages for {@code --idle} seconds. */
        IDLE,
        /** Sending round 2 until it is complete from enough peers. */
        ROUND_2,
        /** Succeeded; the last round is still re-sent so the other side can finish. */
        SUCCEEDED,
        /** Stopped: no more sends. */
        STOPPED
    }

    /**
     * What the peer does with messages: the test rounds, or one of the modes that send no rounds.
     */
    enum Mode
    {
        /** Rounds of test messages (the default). */
        ROUNDS,
        /** Sends nothing of its own; every message received is sent back to its sender at once. */
        ECHO,
        /** {@link PeerChat} sends lines to every connected peer and prints what arrives. */
        CHAT
    }

    /**
     * The final numbers.
     *
     * @param connected peers connected at the end.
     * @param received  rounds: distinct (peer, sequence) pairs received in the run's current round; echo and
     *                  chat: messages received.
     * @param round     that round.
     * @param ok        whether the run succeeded and no peer was lost before it did.
     * @param echoed    messages sent back (echo mode; 0 otherwise).
     */
    record Summary(int connected, long received, int round, boolean ok, long echoed)
    {
    }

    private final Console console;
    private final boolean json;
    private final int expectPeers;
    private final int messages;
    private final long idleNs;
    private final UnsafeBuffer payload;
    private final int payloadLength;
    private final Map<Id32, PeerProgress> peers = new HashMap<>();
    private final CompletableFuture<Boolean> succeeded = new CompletableFuture<>();
    private volatile Engine engine;
    private Phase phase = Phase.ROUND_1;
    private long phaseStartNs = System.nanoTime();
    private long lastResendNs = System.nanoTime();
    private boolean lostBeforeSuccess;
    private boolean tooLargeReported;
    private Mode mode = Mode.ROUNDS;
    private PeerChat chat;
    private int peersEverConnected;
    private long messagesReceived;
    private long messagesEchoed;

    /**
     * A session; call {@link #engine(Engine)} before joining the swarm.
     *
     * @param console     for the events.
     * @param json        JSON events on stdout instead of human lines on stderr.
     * @param expectPeers K: peers that must complete each round.
     * @param messages    N: messages per round and peer.
     * @param size        bytes per message, at least {@link #HEADER_LENGTH}.
     * @param idleNs      idle time between the rounds; 0 for round 1 only.
     */
    PeerSession(
        final Console console,
        final boolean json,
        final int expectPeers,
        final int messages,
        final int size,
        final long idleNs)
    {
        this.console = console;
        this.json = json;
        this.expectPeers = expectPeers;
        this.messages = messages;
        this.idleNs = idleNs;
        // Zeroed once: only the first five bytes ever change, the rest stays the zero padding.
        this.payload = new UnsafeBuffer(new byte[size]);
        this.payloadLength = size;
    }

    /**
     * The engine to send with; set once, before the swarm is joined.
     *
     * @param engine the engine this session handles.
     */
    void engine(final Engine engine)
    {
        this.engine = engine;
    }

    /**
     * Switches to echo or chat before the swarm is joined: then no rounds are sent.
     *
     * @param mode the mode.
     * @param chat with {@link Mode#CHAT}, what prints the lines received; null otherwise.
     */
    void mode(final Mode mode, final PeerChat chat)
    {
        this.mode = mode;
        this.chat = chat;
    }

    /**
     * Sends a message to every connected peer. Run on the engine's thread.
     *
     * @param buffer holding the message.
     * @param length its length, from offset 0.
     * @return the peers it was sent to.
     */
    int sendToConnected(final DirectBuffer buffer, final int length)
    {
        int sentTo = 0;
        for (final PeerProgress progress : peers.values())
        {
            if (progress.connected && engine.send(progress.id, buffer, 0, length) >= 0)
            {
                sentTo++;
            }
        }
        return sentTo;
    }

    /**
     * @return how many peers connected at some point of the run. Read on the engine's thread.
     */
    int peersEverConnected()
    {
        return peersEverConnected;
    }

    /**
     * Completes with true once every round is complete from {@code expectPeers} peers; never completes otherwise.
     *
     * @return the future, completed on the engine's thread.
     */
    CompletableFuture<Boolean> succeeded()
    {
        return succeeded;
    }

    /**
     * Re-sends the current round each second and moves between phases. Run on the engine's thread, often
     * (every 100 ms): phase changes are checked here, re-sends are paced by their own clock.
     */
    void tick()
    {
        final long nowNs = System.nanoTime();
        final int round = sendingRound();
        if (0 != round && nowNs - lastResendNs >= RESEND_INTERVAL_NS)
        {
            lastResendNs = nowNs;
            for (final PeerProgress progress : peers.values())
            {
                if (progress.connected)
                {
                    sendBatch(progress.id, round);
                }
            }
        }
        advance(nowNs);
    }

    /**
     * Stops sending and takes the final numbers. Run on the engine's thread.
     *
     * @param succeededInTime whether the run reached success before its timeout.
     * @return the summary.
     */
    Summary stop(final boolean succeededInTime)
    {
        final int round = currentRound();
        phase = Phase.STOPPED;
        int connected = 0;
        long received = 0;
        for (final PeerProgress progress : peers.values())
        {
            connected += progress.connected ? 1 : 0;
            received += progress.received[round].cardinality();
        }
        if (Mode.ROUNDS != mode)
        {
            received = messagesReceived;
        }
        return new Summary(connected, received, round, succeededInTime && !lostBeforeSuccess, messagesEchoed);
    }

    /**
     * {@inheritDoc}
     */
    public void onNatDiscovered(final NatReport report)
    {
        final Endpoint publicEndpoint = report.publicEndpoint();
        final String publicText = null == publicEndpoint || publicEndpoint.isNone() ? null : publicEndpoint.toString();
        if (json)
        {
            console.out(new Json()
                .field("event", "nat").field("nat", report.natType().label()).field("public", publicText).end());
        }
        else
        {
            console.info("nat " + report.natType().label() + ", public " + (null == publicText ? "none" : publicText));
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerConnected(
        final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
    {
        final long ms = TimeUnit.NANOSECONDS.toMillis(timeToConnectNs);
        if (json)
        {
            console.out(new Json()
                .field("event", "connected").field("peer", peer.toHex()).field("path", path.label())
                .field("strategy", strategy.label()).field("ms", ms).field("probes", probes).end());
        }
        else
        {
            console.info("connected to " + peer.shortHex() + " over " + path.label() + " (" + strategy.label() +
                ") in " + ms + " ms, " + probes + " probes");
        }
        final PeerProgress progress = progress(peer);
        if (!progress.connected)
        {
            peersEverConnected++;
        }
        progress.connected = true;
        final int round = sendingRound();
        if (0 != round)
        {
            sendBatch(peer, round);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onPeerLost(final Id32 peer)
    {
        event("lost", peer, "lost " + peer.shortHex());
        progress(peer).connected = false;
        if (phase.ordinal() < Phase.SUCCEEDED.ordinal())
        {
            lostBeforeSuccess = true;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onNeedsRelay(final Id32 peer)
    {
        event("needs-relay", peer, peer.shortHex() + " needs a relay (hard NAT on both sides)");
    }

    /**
     * {@inheritDoc}
     */
    public void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
    {
        final String reasonText = reason.name().toLowerCase(Locale.ROOT);
        if (json)
        {
            console.out(new Json()
                .field("event", "connect-failed").field("peer", peer.toHex()).field("reason", reasonText).end());
        }
        else
        {
            console.info("connect to " + peer.shortHex() + " failed (" + strategy.label() + "): " + reasonText);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
        if (Phase.STOPPED == phase)
        {
            return;
        }
        if (Mode.ROUNDS != mode)
        {
            onOtherMessage(peer, buffer, offset, length);
            return;
        }
        if (length < HEADER_LENGTH)
        {
            return;
        }
        final int round = buffer.getByte(offset) & 0xFF;
        final int sequence = buffer.getInt(offset + 1, ByteOrder.BIG_ENDIAN);
        if ((1 != round && 2 != round) || sequence < 0 || sequence >= messages)
        {
            return;
        }
        final PeerProgress progress = progress(peer);
        progress.received[round].set(sequence);

        // A peer still sending a round we are done with may have lost some of ours: send it that round again,
        // at most once a second, or it could never finish (we stopped re-sending when we moved on).
        final long nowNs = System.nanoTime();
        if (progress.connected && round <= currentRound() && round != sendingRound() &&
            nowNs - progress.lastCatchUpNs >= RESEND_INTERVAL_NS)
        {
            progress.lastCatchUpNs = nowNs;
            sendBatch(peer, round);
        }
        advance(nowNs);
    }

    private void onOtherMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
        messagesReceived++;
        if (Mode.ECHO == mode)
        {
            // Straight back from the receive buffer: the engine copies it into the datagram, nothing allocates.
            if (engine.send(peer, buffer, offset, length) >= 0)
            {
                messagesEchoed++;
            }
        }
        else if (null != chat)
        {
            chat.print(peer, buffer, offset, length);
        }
    }

    private void advance(final long nowNs)
    {
        switch (phase)
        {
            case ROUND_1 ->
            {
                if (complete(1))
                {
                    if (idleNs > 0)
                    {
                        enter(Phase.IDLE, nowNs);
                        console.info("round 1 complete from " + expectPeers + " peer(s); idle for " +
                            TimeUnit.NANOSECONDS.toMillis(idleNs) + " ms");
                    }
                    else
                    {
                        succeed(nowNs);
                    }
                }
            }
            case IDLE ->
            {
                if (nowNs - phaseStartNs >= idleNs)
                {
                    enter(Phase.ROUND_2, nowNs);
                    console.info("idle over; round 2");
                    lastResendNs = nowNs;
                    for (final PeerProgress progress : peers.values())
                    {
                        if (progress.connected)
                        {
                            sendBatch(progress.id, 2);
                        }
                    }
                }
            }
            case ROUND_2 ->
            {
                if (complete(2))
                {
                    succeed(nowNs);
                }
            }
            default ->
            {
            }
        }
    }

    private void succeed(final long nowNs)
    {
        enter(Phase.SUCCEEDED, nowNs);
        console.info("round " + currentRound() + " complete from " + expectPeers + " peer(s)" +
            (lostBeforeSuccess ? ", but a peer was lost on the way" : ""));
        succeeded.complete(Boolean.TRUE);
    }

    private void enter(final Phase next, final long nowNs)
    {
        phase = next;
        phaseStartNs = nowNs;
    }

    private boolean complete(final int round)
    {
        int complete = 0;
        for (final PeerProgress progress : peers.values())
        {
            if (progress.connected && progress.received[round].cardinality() >= messages)
            {
                complete++;
            }
        }
        return complete >= expectPeers;
    }

    /**
     * The round the run is in: 1 until round 2 starts.
     */
    private int currentRound()
    {
        return switch (phase)
        {
            case ROUND_1, IDLE -> 1;
            case ROUND_2 -> 2;
            case SUCCEEDED, STOPPED -> idleNs > 0 ? 2 : 1;
        };
    }

    /**
     * The round to send now, or 0 while idle or stopped.
     */
    private int sendingRound()
    {
        if (Mode.ROUNDS != mode)
        {
            return 0;
        }
        return switch (phase)
        {
            case ROUND_1 -> 1;
            case ROUND_2 -> 2;
            case SUCCEEDED -> currentRound();
            case IDLE, STOPPED -> 0;
        };
    }

    private void sendBatch(final Id32 peer, final int round)
    {
        final Engine engine = this.engine;
        if (null == engine)
        {
            return;
        }
        payload.putByte(0, (byte)round);
        for (int sequence = 0; sequence < messages; sequence++)
        {
            payload.putInt(1, sequence, ByteOrder.BIG_ENDIAN);
            final int result = engine.send(peer, payload, 0, payloadLength);
            if (Engine.SEND_TOO_LARGE == result && !tooLargeReported)
            {
                tooLargeReported = true;
                console.error("--size " + payloadLength + " is larger than a datagram can carry");
            }
            else if (Engine.SEND_NOT_CONNECTED == result || Engine.SEND_UNKNOWN_PEER == result)
            {
                // The path went away under us; the lost event or a new connection will tell.
                return;
            }
        }
    }

    private void event(final String name, final Id32 peer, final String human)
    {
        if (json)
        {
            console.out(new Json().field("event", name).field("peer", peer.toHex()).end());
        }
        else
        {
            console.info(human);
        }
    }

    private PeerProgress progress(final Id32 peer)
    {
        return peers.computeIfAbsent(peer, PeerProgress::new);
    }

    /**
     * What one peer sent us, and whether it is connected.
     */
    private static final class PeerProgress
    {
        private final Id32 id;
        /** Distinct sequences received, indexed by round (index 0 unused). */
        private final BitSet[] received = {new BitSet(), new BitSet(), new BitSet()};
        private boolean connected;
        private long lastCatchUpNs = System.nanoTime() - RESEND_INTERVAL_NS;

        private PeerProgress(final Id32 id)
        {
            this.id = id;
        }
    }
}
