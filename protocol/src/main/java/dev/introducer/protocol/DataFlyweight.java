package dev.introducer.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * DATA (0x0C): application data between peers. The peer is known from the socket or source endpoint it came
 * from, so the frame is the header and the payload.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x0C)                       |  0
 * +---------------------------------------------------------------+
 * |                  payload (length - 4 bytes)                   |  4
 * ~                                                               ~
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class DataFlyweight extends PayloadFrameFlyweight
{
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = FrameHeader.LENGTH;
    /** Largest payload: 65,503 bytes. */
    public static final int MAX_PAYLOAD_LENGTH = FrameHeader.MAX_FRAME_LENGTH - PAYLOAD_OFFSET;

    /**
     * A flyweight to wrap.
     */
    public DataFlyweight()
    {
        super(PAYLOAD_OFFSET);
    }

    /**
     * Starts a DATA frame; write the payload at {@link #payloadOffset()} or with
     * {@link #putPayload(org.agrona.DirectBuffer, int)}.
     *
     * @param buffer        to write to; needs {@code 4 + payloadLength} bytes from offset.
     * @param offset        of the frame.
     * @param payloadLength 0..{@link #MAX_PAYLOAD_LENGTH}.
     * @return this.
     * @throws IllegalArgumentException when the payload does not fit a datagram.
     */
    public DataFlyweight wrapForData(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        startPayloadFrame(buffer, offset, MessageType.DATA, payloadLength);
        return this;
    }
}
