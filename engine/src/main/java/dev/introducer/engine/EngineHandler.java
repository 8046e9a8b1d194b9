package dev.introducer.engine;

import org.agrona.DirectBuffer;

import dev.introducer.protocol.Id32;

/**
 * The application's callbacks: NAT discovered, peer connected (path, strategy, time to connect, probes), message
 * received (zero-copy), peer lost, needs relay, connect failed. Every method has an empty default.
 * <p>
 * <b>Threading:</b> every callback runs on the engine's own thread. A handler must not block it; the buffer of
 * {@code onMessage} is valid only during the call. Calls into the {@link Engine} from a handler are cheapest,
 * since they need no thread hop.
 */
public interface EngineHandler
{
    /**
     * NAT discovery finished, or its result changed.
     *
     * @param report the result.
     */
    default void onNatDiscovered(final NatReport report)
    {
    }

    /**
     * A peer is connected.
     *
     * @param peer            its id.
     * @param path            how data reaches it.
     * @param strategy        how the connection was made.
     * @param timeToConnectNs from the introduction to the first answer.
     * @param probes          probes we sent in the attempt.
     */
    default void onPeerConnected(
        final Id32 peer, final PathType path, final Strategy strategy, final long timeToConnectNs, final int probes)
    {
    }

    /**
     * A connected peer went silent past the forget threshold, or left.
     *
     * @param peer its id.
     */
    default void onPeerLost(final Id32 peer)
    {
    }

    /**
     * A pair cannot be punched (hard ↔ hard): it needs a relay. No spray is wasted on it.
     *
     * @param peer the other peer.
     */
    default void onNeedsRelay(final Id32 peer)
    {
    }

    /**
     * A connect attempt ended without a connection.
     *
     * @param peer     the other peer.
     * @param strategy the strategy tried.
     * @param reason   why.
     */
    default void onConnectFailed(final Id32 peer, final Strategy strategy, final ConnectFailure reason)
    {
    }

    /**
     * Application data from a connected peer. Zero-copy: the bytes are in the receive buffer.
     *
     * @param peer   the sender.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     */
    default void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
    }
}
