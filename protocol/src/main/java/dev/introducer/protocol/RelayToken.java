package dev.introducer.protocol;

import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The relay token of {@code RELAY_OFFER} and {@code RELAY_BIND}: HMAC-SHA256, keyed with the relay fleet's
 * secret, over the session id, the two peer ids (lower id first), the expiry and the relay endpoint slot. Any
 * node holding the secret validates a token statelessly, so relays scale by adding nodes, with no shared state.
 * <pre>
 * MAC input (100 bytes): session id (8) | lower id (32) | higher id (32) | expiry ms (8) | relay endpoint (20)
 * </pre>
 * One instance per thread: it reuses its buffers and {@link Mac}.
 */
public final class RelayToken
{
    /** Token length. */
    public static final int LENGTH = 32;
    /** Shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;
    private static final int INPUT_LENGTH = 8 + 32 + 32 + 8 + Endpoint.LENGTH;
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private final Mac mac;
    private final byte[] input = new byte[INPUT_LENGTH];
    private final UnsafeBuffer inputView = new UnsafeBuffer(input);
    private final byte[] computed = new byte[LENGTH];
    private final byte[] presented = new byte[LENGTH];

    /**
     * A signer and verifier for one secret.
     *
     * @param secret the fleet's shared secret, at least {@link #MIN_SECRET_LENGTH} bytes.
     * @throws IllegalArgumentException for a short secret.
     */
    public RelayToken(final byte[] secret)
    {
        if (null == secret || secret.length < MIN_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("the relay secret must be at least " + MIN_SECRET_LENGTH + " bytes");
        }
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
        }
    }

    /**
     * Signs an offer or bind in place: writes its token field from its other fields.
     *
     * @param frame a RELAY_OFFER or RELAY_BIND being encoded.
     */
    public void sign(final RelayBindFlyweight frame)
    {
        compute(frame);
        frame.putToken(computed);
    }

    /**
     * Whether a frame's token matches its fields. Constant-time comparison.
     *
     * @param frame a decoded RELAY_OFFER or RELAY_BIND.
     * @return true if the token is genuine.
     */
    public boolean verify(final RelayBindFlyweight frame)
    {
        compute(frame);
        frame.getToken(presented);
        return MessageDigest.isEqual(computed, presented);
    }

    private void compute(final RelayBindFlyweight frame)
    {
        final DirectBuffer buffer = frame.buffer();
        final int sender = frame.senderIdOffset();
        final int other = frame.otherPeerIdOffset();
        final boolean senderFirst = compareIds(buffer, sender, other) <= 0;
        inputView.putLong(0, frame.sessionId(), BIG);
        inputView.putBytes(8, buffer, senderFirst ? sender : other, Id32.LENGTH);
        inputView.putBytes(40, buffer, senderFirst ? other : sender, Id32.LENGTH);
        inputView.putLong(72, frame.expiry(), BIG);
        inputView.putBytes(80, buffer, frame.relayEndpointOffset(), Endpoint.LENGTH);
        mac.update(input, 0, INPUT_LENGTH);
        try
        {
            mac.doFinal(computed, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int compareIds(final DirectBuffer buffer, final int a, final int b)
    {
        for (int i = 0; i < Id32.LENGTH; i += 8)
        {
            final int c = Long.compareUnsigned(buffer.getLong(a + i, BIG), buffer.getLong(b + i, BIG));
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
