package dev.introducer.protocol;

import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.stun.StunMessageFlyweight;

/**
 * The single dispatcher for untrusted datagrams: it tells our frames from STUN and from stray traffic, checks a
 * frame's header, length and fields, and hands back its type with the matching flyweight already wrapped. It never
 * throws and never reads outside {@code [offset, offset + length)}, whatever the bytes and arguments.
 * <p>
 * The checks, in order:
 * <ol>
 *     <li>arguments that do not describe a range of the buffer, or fewer than 4 bytes: {@code ERR_TRUNCATED};</li>
 *     <li>our magic: version ({@code ERR_BAD_VERSION}), known type ({@code ERR_UNKNOWN_TYPE}), at least the
 *     type's fixed length ({@code ERR_TRUNCATED}), at most its maximum ({@code ERR_OVERSIZED}), then the type's
 *     fields ({@code ERR_BAD_FIELD});</li>
 *     <li>else the two top bits of byte 0 clear: fewer than 8 bytes is {@code ERR_TRUNCATED}; the STUN cookie at
 *     bytes 4..7 makes it STUN, parsed whole ({@link MessageType#STUN} or {@code ERR_STUN_MALFORMED});</li>
 *     <li>anything else: {@code ERR_BAD_MAGIC}.</li>
 * </ol>
 * One instance per thread: it holds one flyweight per layout, allocated up front, and re-wraps them per datagram.
 * A view is valid until the next call to {@link #decode}, and only for the type that call returned.
 */
public final class FrameDecoder
{
    private static final int STUN_CLASS_BITS_MASK = 0xC0;

    private final PingFlyweight ping = new PingFlyweight();
    private final ProbeFlyweight probe = new ProbeFlyweight();
    private final JoinFlyweight join = new JoinFlyweight();
    private final LeaveFlyweight leave = new LeaveFlyweight();
    private final IntroFlyweight intro = new IntroFlyweight();
    private final ConnectFlyweight connect = new ConnectFlyweight();
    private final ErrorFlyweight error = new ErrorFlyweight();
    private final RelayFlyweight relay = new RelayFlyweight();
    private final LocalFlyweight local = new LocalFlyweight();
    private final DataFlyweight data = new DataFlyweight();
    private final RelayBindFlyweight relayBind = new RelayBindFlyweight();
    private final RelayBindAckFlyweight relayBindAck = new RelayBindAckFlyweight();
    private final RelayDataFlyweight relayData = new RelayDataFlyweight();
    private final StunMessageFlyweight stun = new StunMessageFlyweight();
    private final FrameFlyweight[] byType = new FrameFlyweight[MessageType.MAX_TYPE + 1];

    /**
     * A decoder with its flyweights.
     */
    public FrameDecoder()
    {
        byType[MessageType.PING] = ping;
        byType[MessageType.PONG] = ping;
        byType[MessageType.PROBE] = probe;
        byType[MessageType.PROBE_REPLY] = probe;
        byType[MessageType.JOIN] = join;
        byType[MessageType.LEAVE] = leave;
        byType[MessageType.INTRO] = intro;
        byType[MessageType.CONNECT] = connect;
        byType[MessageType.ERROR] = error;
        byType[MessageType.RELAY] = relay;
        byType[MessageType.LOCAL] = local;
        byType[MessageType.DATA] = data;
        byType[MessageType.RELAY_BIND] = relayBind;
        byType[MessageType.RELAY_BIND_ACK] = relayBindAck;
        byType[MessageType.RELAY_DATA] = relayData;
        byType[MessageType.RELAY_OFFER] = relayBind;
    }

    /**
     * Decodes one datagram.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return the {@link MessageType} code (the matching view is wrapped), {@link MessageType#STUN} ({@link #stun()}
     * is wrapped), or a negative {@link DecodeResult} code.
     */
    public int decode(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null || offset < 0 || length < FrameHeader.LENGTH || length > buffer.capacity() - offset)
        {
            return DecodeResult.ERR_TRUNCATED;
        }
        if (FrameHeader.hasMagic(buffer, offset))
        {
            return decodeFrame(buffer, offset, length);
        }
        if ((buffer.getByte(offset) & STUN_CLASS_BITS_MASK) == 0)
        {
            if (length < StunMessageFlyweight.COOKIE_OFFSET + 4)
            {
                return DecodeResult.ERR_TRUNCATED;
            }
            if (StunMessageFlyweight.isStun(buffer, offset, length))
            {
                final int result = stun.wrap(buffer, offset, length);
                return result == 0 ? MessageType.STUN : result;
            }
        }
        return DecodeResult.ERR_BAD_MAGIC;
    }

    private int decodeFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if ((buffer.getByte(offset + FrameHeader.VERSION_OFFSET) & 0xFF) != FrameHeader.VERSION)
        {
            return DecodeResult.ERR_BAD_VERSION;
        }
        final int type = FrameHeader.type(buffer, offset);
        if (!MessageType.isKnown(type))
        {
            return DecodeResult.ERR_UNKNOWN_TYPE;
        }
        if (length < MessageType.fixedLength(type))
        {
            return DecodeResult.ERR_TRUNCATED;
        }
        if (length > MessageType.maxLength(type))
        {
            return DecodeResult.ERR_OVERSIZED;
        }
        final FrameFlyweight flyweight = byType[type];
        final int result = flyweight.validateFields(buffer, offset, length);
        if (result != 0)
        {
            return result;
        }
        flyweight.wrap(buffer, offset, length);
        return type;
    }

    /**
     * The view of a PING or PONG.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned PING or PONG.
     */
    public PingFlyweight ping()
    {
        return ping;
    }

    /**
     * The view of a PROBE or PROBE_REPLY.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned PROBE or PROBE_REPLY.
     */
    public ProbeFlyweight probe()
    {
        return probe;
    }

    /**
     * The view of a JOIN.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned JOIN.
     */
    public JoinFlyweight join()
    {
        return join;
    }

    /**
     * The view of a LEAVE.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned LEAVE.
     */
    public LeaveFlyweight leave()
    {
        return leave;
    }

    /**
     * The view of an INTRO.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned INTRO.
     */
    public IntroFlyweight intro()
    {
        return intro;
    }

    /**
     * The view of a CONNECT.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned CONNECT.
     */
    public ConnectFlyweight connect()
    {
        return connect;
    }

    /**
     * The view of an ERROR.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned ERROR.
     */
    public ErrorFlyweight error()
    {
        return error;
    }

    /**
     * The view of a RELAY. Its inner frame is not decoded: pass {@code innerOffset()} and {@code innerLength()} to
     * a {@link #decode} of its own (on another decoder if this view is still needed).
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned RELAY.
     */
    public RelayFlyweight relay()
    {
        return relay;
    }

    /**
     * The view of a LOCAL.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned LOCAL.
     */
    public LocalFlyweight local()
    {
        return local;
    }

    /**
     * The view of a DATA frame.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned DATA.
     */
    public DataFlyweight data()
    {
        return data;
    }

    /**
     * The view of a RELAY_OFFER or RELAY_BIND.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned RELAY_OFFER or RELAY_BIND.
     */
    public RelayBindFlyweight relayBind()
    {
        return relayBind;
    }

    /**
     * The view of a RELAY_BIND_ACK.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned RELAY_BIND_ACK.
     */
    public RelayBindAckFlyweight relayBindAck()
    {
        return relayBindAck;
    }

    /**
     * The view of a RELAY_DATA frame.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned RELAY_DATA.
     */
    public RelayDataFlyweight relayData()
    {
        return relayData;
    }

    /**
     * The view of a STUN message.
     *
     * @return the flyweight, wrapped by the last {@link #decode} that returned {@link MessageType#STUN}.
     */
    public StunMessageFlyweight stun()
    {
        return stun;
    }
}
