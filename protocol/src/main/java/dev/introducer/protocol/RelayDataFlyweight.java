package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RELAY_DATA (0x0F): data on a bound relay channel, between a peer and a relay. Its 8-byte header is TURN
 * ChannelData's 4 bytes plus our magic and version, so stray traffic is still told apart.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x0F)                       |  0
 * +---------------------------------------------------------------+
 * |                  channel id (u32, non-zero)                   |  4
 * +---------------------------------------------------------------+
 * |                  payload (length - 8 bytes)                   |  8
 * ~                                                               ~
 * +---------------------------------------------------------------+
 * </pre>
 * A zero channel id is {@link DecodeResult#ERR_BAD_FIELD}: zero is never bound.
 */
public final class RelayDataFlyweight extends PayloadFrameFlyweight
{
    /** Offset of the channel id. */
    public static final int CHANNEL_ID_OFFSET = 4;
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = 8;
    /** Largest payload: 65,499 bytes. */
    public static final int MAX_PAYLOAD_LENGTH = FrameHeader.MAX_FRAME_LENGTH - PAYLOAD_OFFSET;

    /**
     * A flyweight to wrap.
     */
    public RelayDataFlyweight()
    {
        super(PAYLOAD_OFFSET);
    }

    /**
     * Starts a RELAY_DATA frame; set the channel id, then write the payload at {@link #payloadOffset()} or with
     * {@link #putPayload(DirectBuffer, int)}.
     *
     * @param buffer        to write to; needs {@code 8 + payloadLength} bytes from offset.
     * @param offset        of the frame.
     * @param payloadLength 0..{@link #MAX_PAYLOAD_LENGTH}.
     * @return this.
     * @throws IllegalArgumentException when the payload does not fit a datagram.
     */
    public RelayDataFlyweight wrapForRelayData(
        final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        startPayloadFrame(buffer, offset, MessageType.RELAY_DATA, payloadLength);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return channelId(buffer, offset) != 0 ? 0 : DecodeResult.ERR_BAD_FIELD;
    }

    /**
     * Whether a datagram has a RELAY_DATA header: our magic and version, the type, the whole 8-byte header, all
     * within the buffer. Lets a host read {@link #channelId(DirectBuffer, int)} without decoding (a relay routes
     * by it before its core decodes). Never throws and never reads out of bounds, whatever the bytes and arguments;
     * it does not check the channel id (the decoder rejects zero).
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return true if the header is there.
     */
    public static boolean isRelayData(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= PAYLOAD_OFFSET && FrameHeader.typeOf(buffer, offset, length) == MessageType.RELAY_DATA;
    }

    /**
     * The channel id of a datagram {@link #isRelayData} accepted, read without a flyweight.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @return the id.
     */
    public static int channelId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CHANNEL_ID_OFFSET, BIG);
    }

    /**
     * The channel id, an opaque non-zero 32-bit value (compare it as an int, e.g. as a key of an Agrona int map).
     *
     * @return the id.
     */
    public int channelId()
    {
        return channelId(buffer, offset);
    }

    /**
     * Sets the channel id.
     *
     * @param channelId non-zero: the one a RELAY_BIND_ACK assigned.
     * @return this.
     */
    public RelayDataFlyweight channelId(final int channelId)
    {
        buffer.putInt(offset + CHANNEL_ID_OFFSET, channelId, BIG);
        return this;
    }
}
