package dev.introducer.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * PROBE (0x03) and PROBE_REPLY (0x04): "answer me from another port or address" and the answer, sent from the
 * other socket. They share one layout; the last 20 bytes are padding in a PROBE (so that a reply never amplifies)
 * and the prober's observed endpoint in a PROBE_REPLY.
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |                      header (type 0x03/0x04)                  |  0
 * +---------------+---------------+-------------------------------+
 * |  flags (u8)   | reserved (u8) | PROBE: reply port (u16)       |  4
 * |               |               | REPLY: reserved (u16)         |
 * +---------------+---------------+-------------------------------+
 * |                         nonce (u64)                           |  8
 * +---------------------------------------------------------------+
 * |                    sender id (32 bytes)                       | 16
 * +---------------------------------------------------------------+
 * |  PROBE: padding (20 bytes) / REPLY: observed endpoint (20)    | 48
 * +---------------------------------------------------------------+  68
 * </pre>
 */
public final class ProbeFlyweight extends FrameFlyweight
{
    /** Flag: answer from the introducer's other port. */
    public static final int FROM_OTHER_PORT = 1;
    /** Flag: answer from the introducer's other address. */
    public static final int FROM_OTHER_ADDRESS = 2;

    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the reply port (PROBE only). */
    public static final int REPLY_PORT_OFFSET = 6;
    /** Offset of the nonce. */
    public static final int NONCE_OFFSET = 8;
    /** Offset of the sender id. */
    public static final int SENDER_ID_OFFSET = 16;
    /** Offset of the observed endpoint (PROBE_REPLY) or padding (PROBE). */
    public static final int OBSERVED_OFFSET = 48;
    /** Fixed length of both. */
    public static final int LENGTH = 68;

    /**
     * Starts a PROBE.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public ProbeFlyweight wrapForProbe(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.PROBE);
        return this;
    }

    /**
     * Starts a PROBE_REPLY.
     *
     * @param buffer to write to.
     * @param offset of the frame.
     * @return this.
     */
    public ProbeFlyweight wrapForProbeReply(final MutableDirectBuffer buffer, final int offset)
    {
        startFrame(buffer, offset, MessageType.PROBE_REPLY);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    protected int validateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        return FrameHeader.type(buffer, offset) == MessageType.PROBE_REPLY ?
            Endpoint.validate(buffer, offset + OBSERVED_OFFSET, true) : 0;
    }

    /**
     * Whether this is a PROBE_REPLY.
     *
     * @return true for PROBE_REPLY, false for PROBE.
     */
    public boolean isReply()
    {
        return type() == MessageType.PROBE_REPLY;
    }

    /**
     * The flags: {@link #FROM_OTHER_PORT}, {@link #FROM_OTHER_ADDRESS}.
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
     * @param flags a combination of {@link #FROM_OTHER_PORT} and {@link #FROM_OTHER_ADDRESS}.
     * @return this.
     */
    public ProbeFlyweight flags(final int flags)
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
     * The port on the prober's observed address to answer to (PROBE only); 0 means the source port.
     *
     * @return 0..65535.
     */
    public int replyPort()
    {
        return buffer.getShort(offset + REPLY_PORT_OFFSET, BIG) & 0xFFFF;
    }

    /**
     * Sets the reply port (PROBE only).
     *
     * @param port 0..65535, 0 for the source port.
     * @return this.
     */
    public ProbeFlyweight replyPort(final int port)
    {
        buffer.putShort(offset + REPLY_PORT_OFFSET, (short)port, BIG);
        return this;
    }

    /**
     * The nonce, echoed by the reply.
     *
     * @return the nonce.
     */
    public long nonce()
    {
        return buffer.getLong(offset + NONCE_OFFSET, BIG);
    }

    /**
     * Sets the nonce.
     *
     * @param nonce value.
     * @return this.
     */
    public ProbeFlyweight nonce(final long nonce)
    {
        buffer.putLong(offset + NONCE_OFFSET, nonce, BIG);
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
    public ProbeFlyweight senderId(final Id32 id)
    {
        id.write(buffer, offset + SENDER_ID_OFFSET);
        return this;
    }

    /**
     * Reads the observed endpoint of a PROBE_REPLY into a value.
     *
     * @param into where to read it.
     * @return into.
     */
    public Endpoint readObserved(final Endpoint into)
    {
        return into.read(buffer, offset + OBSERVED_OFFSET);
    }

    /**
     * Sets the observed endpoint of a PROBE_REPLY.
     *
     * @param observed the prober's endpoint as seen by the introducer.
     * @return this.
     */
    public ProbeFlyweight observed(final Endpoint observed)
    {
        observed.write(buffer, offset + OBSERVED_OFFSET);
        return this;
    }
}
