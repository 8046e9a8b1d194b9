package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RELAY_OFFER (0x10) and RELAY_BIND (0x0D): an introducer offers each of two peers a relay session and its token;
 * the offer names its recipient, so it is exactly the RELAY_BIND the peer sends to the relay with the type byte
 * changed. They share one layout.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                   header (type 0x10 / 0x0D)                   |  0
 * +---------------+---------------+-------------------------------+
 * |  flags (u8)   | reserved (u8) |        reserved (u16)         |  4
 * +---------------+---------------+-------------------------------+
 * |                      session id (u64)                         |  8
 * +---------------------------------------------------------------+
 * |                expiry, epoch milliseconds (u64)               | 16
 * +---------------------------------------------------------------+
 * |   the recipient's (OFFER) / sender's (BIND) own id (32 bytes) | 24
 * +---------------------------------------------------------------+
 * |              the other peer's id (32 bytes)                   | 56
 * +---------------------------------------------------------------+
 * |            relay endpoint (20 bytes, required)                | 88
 * +---------------------------------------------------------------+
 * |               token: HMAC-SHA256 (32 bytes)                   | 108
 * +---------------------------------------------------------------+ 140
 * </pre>
 * The id at 24 is the binding peer's own id: the offer's recipient, the bind's sender.
 */
public final class RelayBindFlyweight extends FrameFlyweight
{
    /** Flag (RELAY_BIND): a keepalive of a bound leg. */
    public static final int REFRESH = 1;

    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the session id. */
    public static final int SESSION_ID_OFFSET = 8;
    /** Offset of the expiry. */
    public static final int EXPIRY_OFFSET = 16;
    /** Offset of the sender id: the introducer's in an offer, the binding peer's in a bind. */
    public static final int SENDER_ID_OFFSET = 24;
    /** Offset of the other peer's id. */
    public static final int OTHER_PEER_ID_OFFSET = 56;
    /** Offset of the relay endpoint. */
    public static final int RELAY_ENDPOINT_OFFSET = 88;
    /** Offset of the token. */
    public static final int TOKEN_OFFSET = 108;
    /** Length of the token. */
    public static final int TOKEN_LENGTH = 32;
    /** Fixed length of both. */
    public static final int LENGTH = 140;

    /**
     * Starts a RELAY_OFFER.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public RelayBindFlyweight wrapForOffer(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.RELAY_OFFER);
        return this;
    }

    /**
     * Starts a RELAY_BIND.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public RelayBindFlyweight wrapForBind(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.RELAY_BIND);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return Endpoint.validate(buffer, offset + RELAY_ENDPOINT_OFFSET, true);
    }

    /**
     * Whether this is a RELAY_BIND.
     *
     * @return true for RELAY_BIND, false for RELAY_OFFER.
     */
    public boolean isBind()
    {
        return type() == MessageType.RELAY_BIND;
    }

    /**
     * The flags: {@link #REFRESH}.
     *
     * @return 0..255.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Sets the flags.
     *
     * @param flags {@link #REFRESH} or 0.
     * @return this.
     */
    public RelayBindFlyweight flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * Whether a flag is set.
     *
     * @param flag one of the flag constants.
     * @return true if set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags() & flag) != 0;
    }

    /**
     * Whether a datagram is long enough for a RELAY_BIND and starts with its header: our magic and version, the
     * type, all {@link #LENGTH} bytes within the buffer. Lets a host read {@link #sessionId(DirectBuffer, int)}
     * without decoding (a relay routes by it before its core decodes and checks the token). Never throws and never
     * reads out of bounds, whatever the bytes and arguments.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return true for a RELAY_BIND (not a RELAY_OFFER) of at least the fixed length.
     */
    public static boolean isBind(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= LENGTH && FrameHeader.typeOf(buffer, offset, length) == MessageType.RELAY_BIND;
    }

    /**
     * The session id of a datagram {@link #isBind} accepted, read without a flyweight.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @return the id.
     */
    public static long sessionId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SESSION_ID_OFFSET, BIG);
    }

    /**
     * The relay session id.
     *
     * @return the id.
     */
    public long sessionId()
    {
        return sessionId(buffer, offset);
    }

    /**
     * Sets the relay session id.
     *
     * @param sessionId value.
     * @return this.
     */
    public RelayBindFlyweight sessionId(final long sessionId)
    {
        buffer.putLong(offset + SESSION_ID_OFFSET, sessionId, BIG);
        return this;
    }

    /**
     * When the token expires, in epoch milliseconds.
     *
     * @return the expiry.
     */
    public long expiry()
    {
        return buffer.getLong(offset + EXPIRY_OFFSET, BIG);
    }

    /**
     * Sets the expiry.
     *
     * @param epochMillis value.
     * @return this.
     */
    public RelayBindFlyweight expiry(final long epochMillis)
    {
        buffer.putLong(offset + EXPIRY_OFFSET, epochMillis, BIG);
        return this;
    }

    /**
     * Absolute offset of the sender id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int senderIdOffset()
    {
        return offset + SENDER_ID_OFFSET;
    }

    /**
     * Reads the sender id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 senderId()
    {
        return Id32.read(buffer, offset + SENDER_ID_OFFSET);
    }

    /**
     * Sets the sender id: the introducer's in an offer, the binding peer's own in a bind.
     *
     * @param id value.
     * @return this.
     */
    public RelayBindFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the other peer's id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int otherPeerIdOffset()
    {
        return offset + OTHER_PEER_ID_OFFSET;
    }

    /**
     * Reads the other peer's id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 otherPeerId()
    {
        return Id32.read(buffer, offset + OTHER_PEER_ID_OFFSET);
    }

    /**
     * Sets the other peer's id.
     *
     * @param id value.
     * @return this.
     */
    public RelayBindFlyweight otherPeerId(final Id32 id)
    {
        id.write(buffer, offset + OTHER_PEER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the relay endpoint slot in {@link #buffer()}: the token's MAC covers these 20 bytes.
     *
     * @return the offset.
     */
    public int relayEndpointOffset()
    {
        return offset + RELAY_ENDPOINT_OFFSET;
    }

    /**
     * Reads the relay endpoint into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readRelayEndpoint(final Endpoint into)
    {
        return into.read(buffer, offset + RELAY_ENDPOINT_OFFSET);
    }

    /**
     * Sets the relay endpoint (required: IPv4 or IPv6 with a non-zero port).
     *
     * @param endpoint the relay's endpoint.
     * @return this.
     */
    public RelayBindFlyweight relayEndpoint(final Endpoint endpoint)
    {
        endpoint.write(buffer, offset + RELAY_ENDPOINT_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the 32-byte token in {@link #buffer()}, for zero-copy verification.
     *
     * @return the offset.
     */
    public int tokenOffset()
    {
        return offset + TOKEN_OFFSET;
    }

    /**
     * Copies the token in.
     *
     * @param source       the 32 bytes are in.
     * @param sourceOffset of the 32 bytes.
     * @return this.
     */
    public RelayBindFlyweight putToken(final DirectBuffer source, final int sourceOffset)
    {
        buffer.putBytes(offset + TOKEN_OFFSET, source, sourceOffset, TOKEN_LENGTH);
        return this;
    }

    /**
     * Copies the token in.
     *
     * @param token 32 bytes.
     * @return this.
     * @throws IllegalArgumentException when the token is not 32 bytes.
     */
    public RelayBindFlyweight putToken(final byte[] token)
    {
        if (token.length != TOKEN_LENGTH)
        {
            throw new IllegalArgumentException("a token is 32 bytes, got " + token.length);
        }
        buffer.putBytes(offset + TOKEN_OFFSET, token);
        return this;
    }

    /**
     * Copies the token out.
     *
     * @param destination       to copy to; needs 32 bytes.
     * @param destinationOffset where.
     */
    public void getToken(final MutableDirectBuffer destination, final int destinationOffset)
    {
        buffer.getBytes(offset + TOKEN_OFFSET, destination, destinationOffset, TOKEN_LENGTH);
    }

    /**
     * Copies the token out.
     *
     * @param destination 32 bytes.
     * @throws IllegalArgumentException when the destination is not 32 bytes.
     */
    public void getToken(final byte[] destination)
    {
        if (destination.length != TOKEN_LENGTH)
        {
            throw new IllegalArgumentException("a token is 32 bytes, got " + destination.length);
        }
        buffer.getBytes(offset + TOKEN_OFFSET, destination);
    }
}
