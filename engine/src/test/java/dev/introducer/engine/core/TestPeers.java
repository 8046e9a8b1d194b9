package dev.introducer.engine.core;

import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * Peer records for tests outside the core's package: a peer with a NAT type, and one whose last attempt
 * finished.
 */
public final class TestPeers
{
    private TestPeers()
    {
    }

    /**
     * A peer as a CONNECT leaves it: id and NAT type known.
     *
     * @param id  its id.
     * @param nat its NAT type.
     * @return the peer.
     */
    public static Peer peer(final Id32 id, final NatType nat)
    {
        final Peer peer = new Peer(id, 0);
        peer.nat(nat);
        return peer;
    }

    /**
     * Runs an attempt on the peer from {@code startNs} that sent {@code probes} probes, and ends it, as the core
     * does before it reports the end.
     *
     * @param peer    the peer.
     * @param startNs when the attempt started.
     * @param probes  probes it sent.
     */
    public static void finishAttempt(final Peer peer, final long startNs, final int probes)
    {
        final ConnectAttempt attempt = new ConnectAttempt(peer, Strategy.DIRECT, 1, startNs, startNs + 1)
        {
            long onTimer(final long nowNs)
            {
                return NO_DEADLINE;
            }

            void close()
            {
            }
        };
        attempt.probes = probes;
        peer.attempt(attempt);
        peer.attempt(null);
    }
}
