package dev.introducer.engine.core;

import java.util.random.RandomGenerator;

import org.agrona.concurrent.EpochClock;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayToken;

/**
 * An introducer's relay offers: a fresh session id, an expiry on the fleet's wall clock, and a token signed with
 * the fleet secret, sent to both peers of a pair that cannot punch.
 */
final class RelayOffers
{
    private final FrameWriter writer;
    private final RandomGenerator random;
    private final EngineCounters counters;
    private final Endpoint relay;
    private final RelayToken token;
    private final EpochClock epochClock;
    private final long ttlMs;

    RelayOffers(final EngineConfiguration configuration, final FrameWriter writer, final RandomGenerator random,
        final EngineCounters counters)
    {
        this.writer = writer;
        this.random = random;
        this.counters = counters;
        this.relay = configuration.relayEndpoint();
        this.token = new RelayToken(configuration.relaySecret());
        this.epochClock = configuration.epochClock();
        this.ttlMs = configuration.relayTokenTtlNs() / 1_000_000;
    }

    /**
     * Offers both peers one relay session.
     */
    void offer(final Peer a, final Peer b)
    {
        long sessionId;
        do
        {
            sessionId = random.nextLong();
        }
        while (0 == sessionId);
        final long expiryMs = epochClock.time() + ttlMs;
        writer.relayOffer(a, b, sessionId, expiryMs, relay, token);
        writer.relayOffer(b, a, sessionId, expiryMs, relay, token);
        counters.increment(EngineCounters.Type.RELAY_OFFERS);
    }
}
