package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Base of the frames whose payload runs from a fixed header to the end of the datagram: DATA and RELAY_DATA.
 * The payload's length is the frame's length less the header: no length field can disagree with the datagram.
 */
public abstract class PayloadFrameFlyweight extends FrameFlyweight
{
    private final int payloadStart;

    /**
     * For subclasses.
     *
     * @param payloadStart offset of the payload from the start of the frame.
     */
    protected PayloadFrameFlyweight(final int payloadStart)
    {
        this.payloadStart = payloadStart;
    }

    /**
     * Starts a frame with room for a payload and sets the frame length to match.
     *
     * @param buffer        to write to.
     * @param offset        of the frame.
     * @param type          message type.
     * @param payloadLength 0..{@link #maxPayloadLength()}.
     * @throws IllegalArgumentException when the payload does not fit a datagram.
     */
    protected final void startPayloadFrame(
        final MutableDirectBuffer buffer, final int offset, final int type, final int payloadLength)
    {
        if (payloadLength < 0 || payloadLength > maxPayloadLength())
        {
            throw new IllegalArgumentException("payload length out of range: " + payloadLength);
        }
        startFrame(buffer, offset, type);
        length = payloadStart + payloadLength;
    }

    /**
     * The largest payload a frame of this type can carry.
     *
     * @return {@link FrameHeader#MAX_FRAME_LENGTH} less the fixed header.
     */
    public final int maxPayloadLength()
    {
        return FrameHeader.MAX_FRAME_LENGTH - payloadStart;
    }

    /**
     * Absolute offset of the payload in {@link #buffer()}.
     *
     * @return the offset.
     */
    public final int payloadOffset()
    {
        return offset + payloadStart;
    }

    /**
     * The payload's length.
     *
     * @return the frame length less the fixed header.
     */
    public final int payloadLength()
    {
        return length - payloadStart;
    }

    /**
     * Copies the payload in; its length was given when the frame was started.
     *
     * @param source       the payload is in.
     * @param sourceOffset of the payload.
     * @return this.
     */
    public final PayloadFrameFlyweight putPayload(final DirectBuffer source, final int sourceOffset)
    {
        buffer.putBytes(offset + payloadStart, source, sourceOffset, length - payloadStart);
        return this;
    }

    /**
     * Copies the payload out.
     *
     * @param destination       to copy to; needs {@link #payloadLength()} bytes.
     * @param destinationOffset where.
     */
    public final void getPayload(final MutableDirectBuffer destination, final int destinationOffset)
    {
        buffer.getBytes(offset + payloadStart, destination, destinationOffset, length - payloadStart);
    }
}
