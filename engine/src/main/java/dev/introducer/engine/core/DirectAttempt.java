package dev.introducer.engine.core;

import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;

/**
 * Pings from the main socket to one endpoint, with retries that start fast and back off: the seed's ping3, made
 * quicker. Used when either side is static, for easy ↔ easy (both sides send at once, so each side's first
 * ping opens its own NAT for the other's), and over the LAN for peers behind the same NAT.
 */
final class DirectAttempt extends ConnectAttempt
{
    private final FrameWriter writer;
    private final Endpoint target;
    private final long retryMaxNs;
    private long retryIntervalNs;
    private long nextSendNs;

    DirectAttempt(
        final Peer peer, final Strategy strategy, final long token, final long startNs, final long deadlineNs,
        final Endpoint target, final FrameWriter writer, final EngineConfiguration configuration)
    {
        super(peer, strategy, token, startNs, deadlineNs);
        this.writer = writer;
        this.target = target.copy();
        this.retryIntervalNs = configuration.directRetryMinNs();
        this.retryMaxNs = configuration.directRetryMaxNs();
        this.nextSendNs = startNs;
    }

    /**
     * Aims the pings at another endpoint (a LAN endpoint that arrived late) and resends at once.
     */
    void retarget(final Endpoint newTarget, final long nowNs)
    {
        target.set(newTarget);
        nextSendNs = nowNs;
    }

    long onTimer(final long nowNs)
    {
        if (isConnected() || target.isNone())
        {
            return isConnected() ? NO_DEADLINE : nowNs + retryMaxNs;
        }
        if (nowNs >= nextSendNs)
        {
            writer.ping(Transport.MAIN_SOCKET, target, token(), nowNs);
            probes++;
            nextSendNs = nowNs + retryIntervalNs;
            retryIntervalNs = Math.min(retryIntervalNs * 2, retryMaxNs);
        }
        return nextSendNs;
    }

    void close()
    {
    }
}
