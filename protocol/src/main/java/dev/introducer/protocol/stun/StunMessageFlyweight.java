package dev.introducer.protocol.stun;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import dev.introducer.protocol.DecodeResult;
import dev.introducer.protocol.Endpoint;

/**
 * A reusable view over a received STUN message (RFC 8489). {@link #wrap(DirectBuffer, int, int)} checks the whole
 * message once, bounds-checked against the datagram, and records what a Binding server needs: class, method,
 * transaction id, the unknown comprehension-required attributes, XOR-MAPPED-ADDRESS, and where MESSAGE-INTEGRITY,
 * USERNAME and SOFTWARE are. The getters then never read outside the message.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        attributes: type (16), length (16), value, padded to 4 |
 * ~                                                               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A message is malformed ({@link DecodeResult#ERR_STUN_MALFORMED}) when the length field is not a multiple of 4 or
 * not the datagram's length less 20, when the attributes do not walk to the end exactly, when FINGERPRINT is not
 * last or its CRC is wrong, or when XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY or FINGERPRINT have an impossible length
 * or family.
 */
public final class StunMessageFlyweight
{
    /** Length of the STUN header. */
    public static final int HEADER_LENGTH = 20;
    /** The magic cookie at bytes 4..7. */
    public static final int MAGIC_COOKIE = 0x2112_A442;
    /** Offset of the message type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the message length. */
    public static final int LENGTH_OFFSET = 2;
    /** Offset of the magic cookie. */
    public static final int COOKIE_OFFSET = 4;
    /** Offset of the transaction id. */
    public static final int TRANSACTION_ID_OFFSET = 8;
    /** Length of the transaction id. */
    public static final int TRANSACTION_ID_LENGTH = 12;

    /** Class of a request. */
    public static final int CLASS_REQUEST = 0;
    /** Class of an indication. */
    public static final int CLASS_INDICATION = 1;
    /** Class of a success response. */
    public static final int CLASS_SUCCESS_RESPONSE = 2;
    /** Class of an error response. */
    public static final int CLASS_ERROR_RESPONSE = 3;
    /** The Binding method. */
    public static final int METHOD_BINDING = 0x001;

    /** How many distinct unknown comprehension-required attribute types are recorded; more are not listed. */
    public static final int MAX_UNKNOWN_ATTRIBUTES = 8;

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final int NONE = -1;

    private final int[] unknownAttributes = new int[MAX_UNKNOWN_ATTRIBUTES];
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int messageType;
    private int unknownCount;
    private int xorMappedAddressOffset;
    private int messageIntegrityOffset;
    private int fingerprintOffset;
    private int usernameOffset;
    private int usernameLength;
    private int softwareOffset;
    private int softwareLength;

    /**
     * Whether a datagram starts like a STUN message: the two top bits of byte 0 clear and the magic cookie at
     * bytes 4..7. Reads nothing past {@code offset + length}.
     *
     * @param buffer the datagram is in.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return true if it should be parsed as STUN.
     */
    public static boolean isStun(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= COOKIE_OFFSET + 4 && (buffer.getByte(offset) & 0xC0) == 0 &&
            buffer.getInt(offset + COOKIE_OFFSET, BIG) == MAGIC_COOKIE;
    }

    /**
     * The 14-bit message type of a class and method.
     *
     * @param messageClass one of the {@code CLASS_} constants.
     * @param method       a 12-bit method.
     * @return the message type.
     */
    public static int messageType(final int messageClass, final int method)
    {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
            ((messageClass & 0x1) << 4) | ((messageClass & 0x2) << 7);
    }

    /**
     * Wraps and checks a message. The caller has made sure that {@code [offset, offset + length)} lies in the
     * buffer, and usually that {@link #isStun} holds.
     *
     * @param buffer the message is in.
     * @param offset of the message.
     * @param length of the datagram.
     * @return 0 if well-formed, else {@link DecodeResult#ERR_STUN_MALFORMED}; the view is valid only after 0.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        unknownCount = 0;
        xorMappedAddressOffset = NONE;
        messageIntegrityOffset = NONE;
        fingerprintOffset = NONE;
        usernameOffset = NONE;
        usernameLength = 0;
        softwareOffset = NONE;
        softwareLength = 0;

        if (length < HEADER_LENGTH || !isStun(buffer, offset, length))
        {
            return DecodeResult.ERR_STUN_MALFORMED;
        }
        final int messageLength = buffer.getShort(offset + LENGTH_OFFSET, BIG) & 0xFFFF;
        if ((messageLength & 3) != 0 || messageLength != length - HEADER_LENGTH)
        {
            return DecodeResult.ERR_STUN_MALFORMED;
        }
        messageType = buffer.getShort(offset + TYPE_OFFSET, BIG) & 0x3FFF;
        return walkAttributes(buffer, offset + HEADER_LENGTH, offset + length);
    }

    private int walkAttributes(final DirectBuffer buffer, final int start, final int end)
    {
        int position = start;
        while (position < end)
        {
            if (end - position < StunAttribute.HEADER_LENGTH || fingerprintOffset != NONE)
            {
                // Either a partial attribute header, or anything at all after FINGERPRINT, which must be last.
                return DecodeResult.ERR_STUN_MALFORMED;
            }
            final int type = buffer.getShort(position, BIG) & 0xFFFF;
            final int valueLength = buffer.getShort(position + 2, BIG) & 0xFFFF;
            final int value = position + StunAttribute.HEADER_LENGTH;
            if (StunAttribute.padded(valueLength) > end - value)
            {
                return DecodeResult.ERR_STUN_MALFORMED;
            }
            final int result = attribute(buffer, type, position, value, valueLength);
            if (result != 0)
            {
                return result;
            }
            position = value + StunAttribute.padded(valueLength);
        }
        return 0;
    }

    private int attribute(
        final DirectBuffer buffer, final int type, final int position, final int value, final int valueLength)
    {
        switch (type)
        {
            case StunAttribute.XOR_MAPPED_ADDRESS:
                if (!isAddressValue(buffer, value, valueLength))
                {
                    return DecodeResult.ERR_STUN_MALFORMED;
                }
                if (xorMappedAddressOffset == NONE)
                {
                    xorMappedAddressOffset = value;
                }
                return 0;

            case StunAttribute.MESSAGE_INTEGRITY:
                if (valueLength != StunAttribute.MESSAGE_INTEGRITY_LENGTH)
                {
                    return DecodeResult.ERR_STUN_MALFORMED;
                }
                if (messageIntegrityOffset == NONE)
                {
                    messageIntegrityOffset = position;
                }
                return 0;

            case StunAttribute.FINGERPRINT:
            {
                if (valueLength != StunAttribute.FINGERPRINT_LENGTH)
                {
                    return DecodeResult.ERR_STUN_MALFORMED;
                }
                final int expected = Crc32.compute(buffer, offset, position - offset) ^ StunAttribute.FINGERPRINT_XOR;
                if (buffer.getInt(value, BIG) != expected)
                {
                    return DecodeResult.ERR_STUN_MALFORMED;
                }
                fingerprintOffset = position;
                return 0;
            }

            case StunAttribute.USERNAME:
                if (usernameOffset == NONE)
                {
                    usernameOffset = value;
                    usernameLength = valueLength;
                }
                return 0;

            case StunAttribute.SOFTWARE:
                if (softwareOffset == NONE)
                {
                    softwareOffset = value;
                    softwareLength = valueLength;
                }
                return 0;

            default:
                if (StunAttribute.isComprehensionRequired(type) && !StunAttribute.isUnderstood(type))
                {
                    recordUnknown(type);
                }
                return 0;
        }
    }

    private static boolean isAddressValue(final DirectBuffer buffer, final int value, final int valueLength)
    {
        if (valueLength < 4)
        {
            return false;
        }
        final int family = buffer.getByte(value + 1) & 0xFF;
        return (family == StunAttribute.ADDRESS_FAMILY_IPV4 && valueLength == 8) ||
            (family == StunAttribute.ADDRESS_FAMILY_IPV6 && valueLength == 20);
    }

    private void recordUnknown(final int type)
    {
        for (int i = 0; i < unknownCount; i++)
        {
            if (unknownAttributes[i] == type)
            {
                return;
            }
        }
        if (unknownCount < MAX_UNKNOWN_ATTRIBUTES)
        {
            unknownAttributes[unknownCount++] = type;
        }
    }

    /**
     * The buffer the message is in.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the message in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The message's length, header included.
     *
     * @return the datagram's length.
     */
    public int frameLength()
    {
        return length;
    }

    /**
     * The 14-bit message type.
     *
     * @return class and method bits.
     */
    public int messageType()
    {
        return messageType;
    }

    /**
     * The message class.
     *
     * @return one of the {@code CLASS_} constants.
     */
    public int messageClass()
    {
        return ((messageType >> 4) & 0x1) | ((messageType >> 7) & 0x2);
    }

    /**
     * The 12-bit method.
     *
     * @return e.g. {@link #METHOD_BINDING}.
     */
    public int method()
    {
        return (messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80);
    }

    /**
     * Whether this is a Binding request, the only message a Binding server answers.
     *
     * @return true for class request and method Binding.
     */
    public boolean isBindingRequest()
    {
        return messageType == messageType(CLASS_REQUEST, METHOD_BINDING);
    }

    /**
     * Absolute offset of the 12-byte transaction id in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int transactionIdOffset()
    {
        return offset + TRANSACTION_ID_OFFSET;
    }

    /**
     * Copies the transaction id out.
     *
     * @param destination       needs 12 bytes.
     * @param destinationOffset where.
     */
    public void getTransactionId(final MutableDirectBuffer destination, final int destinationOffset)
    {
        buffer.getBytes(offset + TRANSACTION_ID_OFFSET, destination, destinationOffset, TRANSACTION_ID_LENGTH);
    }

    /**
     * How many distinct unknown comprehension-required attribute types were seen (at most
     * {@link #MAX_UNKNOWN_ATTRIBUTES}).
     *
     * @return the count; non-zero means a request gets a 420 answer.
     */
    public int unknownAttributeCount()
    {
        return unknownCount;
    }

    /**
     * An unknown comprehension-required attribute type, in the order first seen.
     *
     * @param index 0..{@link #unknownAttributeCount()} - 1.
     * @return the type.
     */
    public int unknownAttribute(final int index)
    {
        if (index < 0 || index >= unknownCount)
        {
            throw new IndexOutOfBoundsException(index);
        }
        return unknownAttributes[index];
    }

    /**
     * Whether an XOR-MAPPED-ADDRESS is present.
     *
     * @return true if present.
     */
    public boolean hasXorMappedAddress()
    {
        return xorMappedAddressOffset != NONE;
    }

    /**
     * Decodes the (first) XOR-MAPPED-ADDRESS into a value.
     *
     * @param into where to read it; cleared when there is none.
     * @return into.
     */
    public Endpoint readXorMappedAddress(final Endpoint into)
    {
        if (xorMappedAddressOffset == NONE)
        {
            return into.clear();
        }
        final int value = xorMappedAddressOffset;
        final int port = (buffer.getShort(value + 2, BIG) & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
        if ((buffer.getByte(value + 1) & 0xFF) == StunAttribute.ADDRESS_FAMILY_IPV4)
        {
            return into.setIpv4(buffer.getInt(value + 4, BIG) ^ MAGIC_COOKIE, port);
        }
        // IPv6 is XORed with the cookie and transaction id, which are the 16 bytes from offset 4 of the header.
        return into.setIpv6(
            buffer.getLong(value + 4, BIG) ^ buffer.getLong(offset + COOKIE_OFFSET, BIG),
            buffer.getLong(value + 12, BIG) ^ buffer.getLong(offset + COOKIE_OFFSET + 8, BIG),
            port);
    }

    /**
     * Whether a FINGERPRINT is present; it is then valid, or {@link #wrap} would have failed.
     *
     * @return true if present.
     */
    public boolean hasFingerprint()
    {
        return fingerprintOffset != NONE;
    }

    /**
     * Absolute offset of the (first) MESSAGE-INTEGRITY attribute's header, for a caller that checks credentials.
     *
     * @return the offset, or -1 if absent.
     */
    public int messageIntegrityOffset()
    {
        return messageIntegrityOffset;
    }

    /**
     * Absolute offset of the USERNAME value.
     *
     * @return the offset, or -1 if absent.
     */
    public int usernameOffset()
    {
        return usernameOffset;
    }

    /**
     * Length of the USERNAME value.
     *
     * @return bytes, 0 if absent.
     */
    public int usernameLength()
    {
        return usernameLength;
    }

    /**
     * Absolute offset of the SOFTWARE value.
     *
     * @return the offset, or -1 if absent.
     */
    public int softwareOffset()
    {
        return softwareOffset;
    }

    /**
     * Length of the SOFTWARE value.
     *
     * @return bytes, 0 if absent.
     */
    public int softwareLength()
    {
        return softwareLength;
    }
}
