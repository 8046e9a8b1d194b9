package dev.introducer.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * ERROR (0x09): the reply to a JOIN, an INTRO or relay control that cannot be served.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x09)                       |  0
 * +-------------------------------+---------------+---------------+
 * |          code (u16)           | request (u8)  | reserved (u8) |  4
 * +-------------------------------+---------------+---------------+
 * |                        detail (u32)                           |  8
 * +---------------------------------------------------------------+
 * |                       reserved (u32)                          | 12
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 16
 * +---------------------------------------------------------------+
 * |        subject id (32 bytes): the swarm or target             | 48
 * +---------------------------------------------------------------+  80
 * </pre>
 * Every code is valid on the wire: {@link ErrorCode#name(int)} reports the ones this version does not know.
 */
public final class ErrorFlyweight extends FrameFlyweight
{
    /** Offset of the error code. */
    public static final int CODE_OFFSET = 4;
    /** Offset of the type code of the request this answers. */
    public static final int REQUEST_OFFSET = 6;
    /** Offset of the detail. */
    public static final int DETAIL_OFFSET = 8;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 16;
    /** Offset of the subject id. */
    public static final int SUBJECT_ID_OFFSET = 48;
    /** Fixed length. */
    public static final int LENGTH = 80;

    /**
     * Starts an ERROR.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public ErrorFlyweight wrapForError(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.ERROR);
        return this;
    }

    /**
     * The error code.
     *
     * @return 0..65535, see {@link ErrorCode}.
     */
    public int code()
    {
        return buffer.getShort(offset + CODE_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets the error code.
     *
     * @param code see {@link ErrorCode}.
     * @return this.
     */
    public ErrorFlyweight code(final int code)
    {
        buffer.putShort(offset + CODE_OFFSET, (short)code, BIG);
        return this;
    }

    /**
     * The type code of the request this answers.
     *
     * @return 0..255, see {@link MessageType}.
     */
    public int request()
    {
        return buffer.getByte(offset + REQUEST_OFFSET) & 0xFF;
    }

    /**
     * Sets the type code of the request this answers.
     *
     * @param type see {@link MessageType}.
     * @return this.
     */
    public ErrorFlyweight request(final int type)
    {
        buffer.putByte(offset + REQUEST_OFFSET, (byte)type);
        return this;
    }

    /**
     * The code-specific detail, e.g. the number of members for {@link ErrorCode#SWARM_EMPTY}.
     *
     * @return 0..2^32-1.
     */
    public long detail()
    {
        return buffer.getInt(offset + DETAIL_OFFSET, BIG) & 0xFFFF_FFFFL;
    }

    /**
     * Sets the detail.
     *
     * @param detail 0..2^32-1; higher bits are dropped.
     * @return this.
     */
    public ErrorFlyweight detail(final long detail)
    {
        buffer.putInt(offset + DETAIL_OFFSET, (int)detail, BIG);
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
     * Sets the sender id.
     *
     * @param id value.
     * @return this.
     */
    public ErrorFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Absolute offset of the subject id (the swarm or target) in {@link #buffer()}, for zero-copy comparison.
     *
     * @return the offset.
     */
    public int subjectIdOffset()
    {
        return offset + SUBJECT_ID_OFFSET;
    }

    /**
     * Reads the subject id (allocates an {@link Id32}: control path).
     *
     * @return the id.
     */
    public Id32 subjectId()
    {
        return Id32.read(buffer, offset + SUBJECT_ID_OFFSET);
    }

    /**
     * Sets the subject id: the swarm or target the request named.
     *
     * @param id value.
     * @return this.
     */
    public ErrorFlyweight subjectId(final Id32 id)
    {
        id.write(buffer, offset + SUBJECT_ID_OFFSET);
        return this;
    }
}
