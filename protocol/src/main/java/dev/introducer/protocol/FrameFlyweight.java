package dev.introducer.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Base of the frame flyweights: a reusable view over a frame in a buffer, in the {@code wrap(buffer, offset)}
 * style of Aeron's flyweights. One instance per thread, allocated at start-up, re-wrapped per message.
 * <p>
 * Decoding: {@link FrameDecoder} validates a datagram, then wraps the matching flyweight, so the getters of a
 * flyweight handed out by the decoder never read outside the frame. Encoding: {@code wrapForEncode} writes the
 * header and zeroes the fixed part, then fluent setters fill the fields, and {@link #frameLength()} says how many
 * bytes to send.
 */
public abstract class FrameFlyweight
{
    /** Every field is big-endian. */
    protected static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    /** The buffer the frame is in. */
    protected MutableDirectBuffer buffer;
    /** Offset of the frame's first byte. */
    protected int offset;
    /** Length of the frame (fixed length for encoding, datagram length for decoding). */
    protected int length;

    /**
     * Wraps an existing frame for reading. {@link FrameDecoder} calls this after validation.
     *
     * @param buffer the frame is in.
     * @param offset of the frame.
     * @param length of the frame.
     * @return this.
     */
    public FrameFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Starts a new frame: writes the header and zeroes the fixed part.
     *
     * @param buffer to write to; needs {@code fixedLength} bytes from offset.
     * @param offset of the frame.
     * @param type   message type.
     */
    protected final void startFrame(final MutableDirectBuffer buffer, final int offset, final int type)
    {
        final int fixedLength = MessageType.fixedLength(type);
        this.buffer = buffer;
        this.offset = offset;
        this.length = fixedLength;
        buffer.setMemory(offset + FrameHeader.LENGTH, fixedLength - FrameHeader.LENGTH, (byte)0);
        FrameHeader.write(buffer, offset, type);
    }

    /**
     * Checks the type-specific fields of a frame whose header and length the decoder has already checked.
     * The default accepts everything; subclasses check NAT codes, endpoint slots and inner lengths.
     *
     * @param buffer the frame is in.
     * @param offset of the frame.
     * @param length of the frame, at least the type's fixed length.
     * @return 0 if valid, else a {@link DecodeResult} code.
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return 0;
    }

    /**
     * The buffer the frame is in.
     *
     * @return the buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the frame in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The frame's length: what to send after encoding, what arrived after decoding.
     *
     * @return the length in bytes.
     */
    public int frameLength()
    {
        return length;
    }

    /**
     * The frame's type code.
     *
     * @return the type.
     */
    public int type()
    {
        return FrameHeader.type(buffer, offset);
    }

    /**
     * Reads a NAT type code field and checks it.
     *
     * @param buffer to read.
     * @param index  absolute index of the u8.
     * @return 0 if valid, else {@link DecodeResult#ERR_BAD_FIELD}.
     */
    protected static int validateNat(final DirectBuffer buffer, final int index)
    {
        return NatType.isValidCode(buffer.getByte(index) & 0xFF) ? 0 : DecodeResult.ERR_BAD_FIELD;
    }
}
