package dev.introducer.protocol;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay tokens: what the introducer signs, any relay with the secret verifies, and nothing else passes.
 */
class RelayTokenTest
{
    private static final byte[] SECRET = "fleet secret of enough length".getBytes(StandardCharsets.US_ASCII);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final RelayBindFlyweight frame = new RelayBindFlyweight();
    private final Id32 alice = Id32.sha256("alice");
    private final Id32 bob = Id32.sha256("bob");

    private void offer(final Id32 sender, final Id32 other, final long session, final long expiry)
    {
        frame.wrapForOffer(buffer, 0).sessionId(session).expiry(expiry).senderId(sender).otherPeerId(other)
            .relayEndpoint(Endpoint.parse("198.18.0.10:3478"));
    }

    @Test
    @DisplayName("a signed offer verifies, for either peer as the sender (ids are ordered)")
    void signedVerifies()
    {
        final RelayToken token = new RelayToken(SECRET);
        offer(alice, bob, 42, 1_000);
        token.sign(frame);
        final byte[] signed = new byte[RelayToken.LENGTH];
        frame.getToken(signed);
        assertTrue(new RelayToken(SECRET).verify(frame), "another instance with the secret verifies");
        offer(bob, alice, 42, 1_000);
        frame.putToken(signed);
        assertTrue(token.verify(frame), "the other leg presents the same token");
    }

    @Test
    @DisplayName("any changed field, or another secret, fails verification")
    void tamperedFails()
    {
        final RelayToken token = new RelayToken(SECRET);
        offer(alice, bob, 42, 1_000);
        token.sign(frame);
        final byte[] signed = new byte[RelayToken.LENGTH];
        frame.getToken(signed);

        offer(alice, bob, 43, 1_000);
        frame.putToken(signed);
        assertFalse(token.verify(frame), "session id");
        offer(alice, bob, 42, 2_000);
        frame.putToken(signed);
        assertFalse(token.verify(frame), "expiry");
        offer(alice, Id32.sha256("mallory"), 42, 1_000);
        frame.putToken(signed);
        assertFalse(token.verify(frame), "peer id");
        offer(alice, bob, 42, 1_000);
        frame.relayEndpoint(Endpoint.parse("198.18.0.11:3478")).putToken(signed);
        assertFalse(token.verify(frame), "relay endpoint");
        offer(alice, bob, 42, 1_000);
        frame.putToken(signed);
        assertFalse(new RelayToken("another secret, long enough".getBytes(StandardCharsets.US_ASCII)).verify(frame));
    }

    @Test
    @DisplayName("a short secret is refused")
    void shortSecret()
    {
        assertThrows(IllegalArgumentException.class, () -> new RelayToken(new byte[8]));
    }
}
