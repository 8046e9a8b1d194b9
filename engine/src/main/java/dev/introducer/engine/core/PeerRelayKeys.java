package dev.introducer.engine.core;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.introducer.protocol.RelayToken;

/**
 * An introducer's record of the members that relay for their swarms: the key each sends in its pings, and the
 * signer of the tokens we hand out for it. Kept only for peers the introducer records, forgotten with them.
 */
final class PeerRelayKeys
{
    private final Map<Peer, Signer> signers = new IdentityHashMap<>();

    /**
     * What a recorded peer's last ping said about relaying: its key if it relays for its swarms, else null. A new
     * key makes a new signer; the same key keeps it.
     */
    void update(final Peer peer, final byte[] key)
    {
        if (null == key)
        {
            signers.remove(peer);
            return;
        }
        final Signer known = signers.get(peer);
        if (null == known || !Arrays.equals(known.key, key))
        {
            final byte[] copy = key.clone();
            signers.put(peer, new Signer(copy, new RelayToken(copy)));
        }
    }

    /**
     * The signer of a peer's relay tokens.
     *
     * @return the signer, or null when the peer does not relay for its swarms.
     */
    RelayToken signer(final Peer peer)
    {
        final Signer signer = signers.get(peer);
        return null == signer ? null : signer.token;
    }

    /**
     * The introducer forgot the peer.
     */
    void forget(final Peer peer)
    {
        signers.remove(peer);
    }

    private record Signer(byte[] key, RelayToken token)
    {
    }
}
