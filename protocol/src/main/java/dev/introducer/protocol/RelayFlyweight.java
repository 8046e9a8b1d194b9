package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RELAY (0x0A): a peer asks an introducer to forward the inner frame (a LOCAL) to another peer.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x0A)                       |  0
 * +-------------------------------+-------------------------------+
 * |        reserved (u16)         |     inner length (u16)        |  4
 * +-------------------------------+-------------------------------+
 * |                    sender id (32 bytes)                       |  8
 * +---------------------------------------------------------------+
 * |                    target id (32 bytes)                       | 40
 * +---------------------------------------------------------------+
 * |                 inner frame (inner length bytes)              | 72
 * ~                                                               ~
 * +---------------------------------------------------------------+
 * </pre>
 * The inner frame is a whole frame with its own header: {@code 4 <= inner length <= frame length - 72}, else the
 * decoder reports {@link DecodeResult#ERR_BAD_FIELD}. The decoder checks only that the inner frame fits; the
 * receiver decodes it as a datagram of its own before acting on it.
 * <p>
 * Encoding: either copy a finished frame in with {@link #putInner(DirectBuffer, int, int)}, or encode the inner
 * frame in place at {@link #innerOffset()} and then set {@link #innerLength(int)}.
 */
public final class RelayFlyweight extends FrameFlyweight
{
    /** Offset of the inner length. */
    public static final int INNER_LENGTH_OFFSET = 6;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 8;
    /** Offset of the target id. */
    public static final int TARGET_ID_OFFSET = 40;
    /** Offset of the inner frame. */
    public static final int INNER_OFFSET = 72;
    /** Fixed length, without the inner frame. */
    public static final int LENGTH = 72;
    /** Smallest inner frame: a bare header. */
    public static final int MIN_INNER_LENGTH = FrameHeader.LENGTH;
    /** Largest inner frame: RELAY is a control frame. */
    public static final int MAX_INNER_LENGTH = FrameHeader.MAX_CONTROL_FRAME_LENGTH - INNER_OFFSET;

    /**
     * Starts a RELAY; its inner frame is still to be set.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public RelayFlyweight wrapForRelay(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.RELAY);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        final int innerLength = buffer.getShort(offset + INNER_LENGTH_OFFSET, BIG) & 0xFFFF;
        return innerLength >= MIN_INNER_LENGTH && innerLength <= length - INNER_OFFSET ?
            0 : DecodeResult.ERR_BAD_FIELD;
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
     * Sets the sender id.
     *
     * @param id value.
     * @return this.
     */
    public RelayFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the target id in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int targetIdOffset()
    {
        return offset + TARGET_ID_OFFSET;
    }

    /**
     * Reads the target id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 targetId()
    {
        return Id32.read(buffer, offset + TARGET_ID_OFFSET);
    }

    /**
     * Sets the target id.
     *
     * @param id value.
     * @return this.
     */
    public RelayFlyweight targetId(final Id32 id)
    {
        id.write(buffer, offset + TARGET_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the inner frame in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int innerOffset()
    {
        return offset + INNER_OFFSET;
    }

    /**
     * The inner frame's length.
     *
     * @return 4..440 for a decoded frame.
     */
    public int innerLength()
    {
        return buffer.getShort(offset + INNER_LENGTH_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets the length of an inner frame already encoded at {@link #innerOffset()}, and the frame length to match.
     *
     * @param innerLength {@link #MIN_INNER_LENGTH}..{@link #MAX_INNER_LENGTH}.
     * @return this.
     * @throws IllegalArgumentException when the length is out of range.
     */
    public RelayFlyweight innerLength(final int innerLength)
    {
        if (innerLength < MIN_INNER_LENGTH || innerLength > MAX_INNER_LENGTH)
        {
            throw new IllegalArgumentException("inner length out of range: " + innerLength);
        }
        buffer.putShort(offset + INNER_LENGTH_OFFSET, (short)innerLength, BIG);
        length = INNER_OFFSET + innerLength;
        return this;
    }

    /**
     * Copies a finished inner frame in and sets the inner and frame lengths.
     *
     * @param source       the inner frame is in.
     * @param sourceOffset of the inner frame.
     * @param sourceLength of the inner frame, {@link #MIN_INNER_LENGTH}..{@link #MAX_INNER_LENGTH}.
     * @return this.
     * @throws IllegalArgumentException when the length is out of range.
     */
    public RelayFlyweight putInner(final DirectBuffer source, final int sourceOffset, final int sourceLength)
    {
        innerLength(sourceLength);
        buffer.putBytes(offset + INNER_OFFSET, source, sourceOffset, sourceLength);
        return this;
    }
}
