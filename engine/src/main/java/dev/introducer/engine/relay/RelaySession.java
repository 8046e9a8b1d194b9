package dev.introducer.engine.relay;

import dev.introducer.protocol.Endpoint;

/**
 * One relay session: two legs, each bound by a peer presenting the session's token from its address, and the
 * session's quota window. About 400 bytes of heap with its legs and map entries (measured: 402 B in
 * {@code RelaySessionFootprintTest}).
 */
final class RelaySession
{
    final long sessionId;
    final int channelId;
    final Endpoint[] legs = {new Endpoint(), new Endpoint()};
    final int[] legSockets = new int[2];
    long lastActivityNs;
    long windowStartNs;
    int windowPackets;
    long windowBytes;

    RelaySession(final long sessionId, final int channelId, final long nowNs)
    {
        this.sessionId = sessionId;
        this.channelId = channelId;
        this.lastActivityNs = nowNs;
        this.windowStartNs = nowNs;
    }

    boolean isBound(final int leg)
    {
        return !legs[leg].isNone();
    }

    int boundLegs()
    {
        return (isBound(0) ? 1 : 0) + (isBound(1) ? 1 : 0);
    }

    /**
     * Which leg a source address is, or -1.
     */
    int legOf(final Endpoint source)
    {
        if (legs[0].equals(source))
        {
            return 0;
        }
        return legs[1].equals(source) ? 1 : -1;
    }
}
