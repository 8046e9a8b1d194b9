package dev.introducer.engine.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a peer record accepts.
 */
class PeerTest
{
    @Test
    @DisplayName("CONNECTs kept while the NAT is unknown keep every introducer's token, not only the last")
    void pendingConnectsKeepEveryToken()
    {
        final Peer peer = new Peer(Id32.sha256("p"), 0);
        final PendingConnect pending = peer.pendingConnect();
        pending.add(11, 0, 1);
        pending.add(22, 0, 2);
        assertTrue(peer.acceptsToken(11));
        assertTrue(peer.acceptsToken(22));
        assertFalse(peer.acceptsToken(33));
        assertEquals(1, pending.sinceNs(), "the first CONNECT's time is what times out");
        final ConnectAttempt attempt = new ConnectAttempt(peer, Strategy.DIRECT, pending.tokens().first(), 3, 10)
        {
            long onTimer(final long nowNs)
            {
                return NO_DEADLINE;
            }

            void close()
            {
            }
        };
        attempt.addTokens(pending.tokens());
        assertTrue(attempt.acceptsToken(11) && attempt.acceptsToken(22), "the attempt takes them all");
        pending.clear();
        assertFalse(pending.isPending());
        assertFalse(peer.acceptsToken(11), "a cleared CONNECT authenticates nobody");
    }

    @Test
    @DisplayName("the newest ping time is kept: an older or equal one (a late pool probe) does not lower it")
    void newestPingTimeOnlyGrows()
    {
        final Peer peer = new Peer(Id32.sha256("p"), 0);
        assertEquals(Long.MIN_VALUE, peer.newestPingSentNs(), "nothing read yet: any ping is newer");
        peer.pingSent(500);
        peer.pingSent(100);
        assertEquals(500, peer.newestPingSentNs());
        peer.pingSent(700);
        assertEquals(700, peer.newestPingSentNs());
        peer.forgetPingTimes();
        assertEquals(Long.MIN_VALUE, peer.newestPingSentNs(), "a restart starts the peer's clock over");
    }
}
