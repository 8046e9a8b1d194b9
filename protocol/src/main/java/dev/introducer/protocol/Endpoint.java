package dev.introducer.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A mutable IPv4 or IPv6 address and port, stored as primitives so that reading one from a frame allocates
 * nothing. Its wire form is a fixed 20-byte slot:
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |  family (u8)  | reserved (0)  |          port (u16)           |
 * +---------------+---------------+-------------------------------+
 * |        address (16 bytes): IPv4 in the first 4, the rest      |
 * ~        zero; IPv6 uses all 16                                 ~
 * +---------------------------------------------------------------+
 * </pre>
 * Equality is by value, so an {@code Endpoint} used as a map key must not be changed afterwards: store a
 * {@link #copy()}.
 */
public final class Endpoint
{
    /** No endpoint. */
    public static final int FAMILY_NONE = 0;
    /** IPv4. */
    public static final int FAMILY_IPV4 = 4;
    /** IPv6. */
    public static final int FAMILY_IPV6 = 6;

    /** Length of the wire slot. */
    public static final int LENGTH = 20;
    /** Offset of the family byte in the slot. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of the port in the slot. */
    public static final int PORT_OFFSET = 2;
    /** Offset of the address in the slot. */
    public static final int ADDRESS_OFFSET = 4;

    private int family;
    private int port;
    private long addressHigh;
    private long addressLow;

    /**
     * An empty endpoint (family none).
     */
    public Endpoint()
    {
    }

    /**
     * An IPv4 endpoint.
     *
     * @param ipv4 address as a big-endian int.
     * @param port 0..65535.
     * @return a new endpoint.
     */
    public static Endpoint ipv4(final int ipv4, final int port)
    {
        return new Endpoint().setIpv4(ipv4, port);
    }

    /**
     * Parses {@code a.b.c.d:port} or {@code [v6]:port}. Only numeric addresses: no name lookups.
     *
     * @param text to parse.
     * @return a new endpoint.
     * @throws IllegalArgumentException with a one-line reason when the text is not an endpoint.
     */
    public static Endpoint parse(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("not an IP:PORT endpoint: '" + text + "'");
        }
        String host = text.substring(0, colon);
        final String portText = text.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("IPv6 endpoints are written [address]:port, got '" + text + "'");
        }
        if (!isNumericAddress(host))
        {
            throw new IllegalArgumentException("not a numeric IP address: '" + host + "'");
        }
        try
        {
            return new Endpoint().set(InetAddress.getByName(host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IP address: '" + host + "'");
        }
    }

    private static boolean isNumericAddress(final String host)
    {
        if (host.isEmpty())
        {
            return false;
        }
        if (host.indexOf(':') >= 0)
        {
            for (int i = 0; i < host.length(); i++)
            {
                final char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%'))
                {
                    return false;
                }
            }
            return true;
        }
        final String[] parts = host.split("\\.", -1);
        if (parts.length != 4)
        {
            return false;
        }
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3)
            {
                return false;
            }
            for (int i = 0; i < part.length(); i++)
            {
                if (!Character.isDigit(part.charAt(i)))
                {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the endpoint slot at an offset without reading it into an object.
     *
     * @param buffer   to read.
     * @param offset   of the slot; the caller has checked that {@link #LENGTH} bytes are there.
     * @param required whether family none or port 0 is invalid here.
     * @return 0 if valid, else {@link DecodeResult#ERR_BAD_FIELD}.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final boolean required)
    {
        final int family = buffer.getByte(offset + FAMILY_OFFSET) & 0xFF;
        if (family != FAMILY_NONE && family != FAMILY_IPV4 && family != FAMILY_IPV6)
        {
            return DecodeResult.ERR_BAD_FIELD;
        }
        if (required && (family == FAMILY_NONE || 0 == (buffer.getShort(offset + PORT_OFFSET, BIG) & 0xFFFF)))
        {
            return DecodeResult.ERR_BAD_FIELD;
        }
        return 0;
    }

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    /**
     * Reads a slot. An unknown family reads as none: call {@link #validate} first on untrusted bytes.
     *
     * @param buffer to read.
     * @param offset of the slot.
     * @return this.
     */
    public Endpoint read(final DirectBuffer buffer, final int offset)
    {
        final int wireFamily = buffer.getByte(offset + FAMILY_OFFSET) & 0xFF;
        port = buffer.getShort(offset + PORT_OFFSET, BIG) & 0xFFFF;
        if (wireFamily == FAMILY_IPV4)
        {
            family = FAMILY_IPV4;
            addressHigh = 0;
            addressLow = buffer.getInt(offset + ADDRESS_OFFSET, BIG) & 0xFFFF_FFFFL;
        }
        else if (wireFamily == FAMILY_IPV6)
        {
            family = FAMILY_IPV6;
            addressHigh = buffer.getLong(offset + ADDRESS_OFFSET, BIG);
            addressLow = buffer.getLong(offset + ADDRESS_OFFSET + 8, BIG);
        }
        else
        {
            clear();
        }
        return this;
    }

    /**
     * Writes this endpoint as a 20-byte slot.
     *
     * @param buffer to write to.
     * @param offset of the slot.
     */
    public void write(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset + FAMILY_OFFSET, (byte)family);
        buffer.putByte(offset + FAMILY_OFFSET + 1, (byte)0);
        buffer.putShort(offset + PORT_OFFSET, (short)port, BIG);
        if (family == FAMILY_IPV6)
        {
            buffer.putLong(offset + ADDRESS_OFFSET, addressHigh, BIG);
            buffer.putLong(offset + ADDRESS_OFFSET + 8, addressLow, BIG);
        }
        else
        {
            buffer.putInt(offset + ADDRESS_OFFSET, (int)addressLow, BIG);
            buffer.putInt(offset + ADDRESS_OFFSET + 4, 0);
            buffer.putLong(offset + ADDRESS_OFFSET + 8, 0L);
        }
    }

    /**
     * Writes the none endpoint (all zero) as a slot.
     *
     * @param buffer to write to.
     * @param offset of the slot.
     */
    public static void writeNone(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
    }

    /**
     * Sets an IPv4 endpoint.
     *
     * @param ipv4 address as a big-endian int.
     * @param port 0..65535.
     * @return this.
     */
    public Endpoint setIpv4(final int ipv4, final int port)
    {
        this.family = FAMILY_IPV4;
        this.port = port & 0xFFFF;
        this.addressHigh = 0;
        this.addressLow = ipv4 & 0xFFFF_FFFFL;
        return this;
    }

    /**
     * Sets an IPv6 endpoint.
     *
     * @param high bytes 0..7 of the address, big-endian.
     * @param low  bytes 8..15 of the address, big-endian.
     * @param port 0..65535.
     * @return this.
     */
    public Endpoint setIpv6(final long high, final long low, final int port)
    {
        this.family = FAMILY_IPV6;
        this.port = port & 0xFFFF;
        this.addressHigh = high;
        this.addressLow = low;
        return this;
    }

    /**
     * Copies another endpoint.
     *
     * @param other to copy.
     * @return this.
     */
    public Endpoint set(final Endpoint other)
    {
        this.family = other.family;
        this.port = other.port;
        this.addressHigh = other.addressHigh;
        this.addressLow = other.addressLow;
        return this;
    }

    /**
     * Sets from a JDK address (control path only: the JDK types allocate).
     *
     * @param address IPv4 or IPv6.
     * @param port    0..65535.
     * @return this.
     */
    public Endpoint set(final InetAddress address, final int port)
    {
        final byte[] bytes = address.getAddress();
        if (bytes.length == 4)
        {
            return setIpv4(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) |
                (bytes[3] & 0xFF), port);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++)
        {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        return setIpv6(high, low, port);
    }

    /**
     * Sets from a JDK socket address (control path only).
     *
     * @param address resolved socket address.
     * @return this.
     */
    public Endpoint set(final InetSocketAddress address)
    {
        return set(address.getAddress(), address.getPort());
    }

    /**
     * Sets the port, keeping the address.
     *
     * @param port 0..65535.
     * @return this.
     */
    public Endpoint port(final int port)
    {
        this.port = port & 0xFFFF;
        return this;
    }

    /**
     * Resets to family none.
     *
     * @return this.
     */
    public Endpoint clear()
    {
        family = FAMILY_NONE;
        port = 0;
        addressHigh = 0;
        addressLow = 0;
        return this;
    }

    /**
     * A copy.
     *
     * @return a new endpoint equal to this one.
     */
    public Endpoint copy()
    {
        return new Endpoint().set(this);
    }

    /**
     * The family.
     *
     * @return {@link #FAMILY_NONE}, {@link #FAMILY_IPV4} or {@link #FAMILY_IPV6}.
     */
    public int family()
    {
        return family;
    }

    /**
     * The port.
     *
     * @return 0..65535.
     */
    public int port()
    {
        return port;
    }

    /**
     * Whether this is the none endpoint.
     *
     * @return true for family none.
     */
    public boolean isNone()
    {
        return family == FAMILY_NONE;
    }

    /**
     * The IPv4 address as a big-endian int; meaningful only for IPv4.
     *
     * @return the address.
     */
    public int ipv4()
    {
        return (int)addressLow;
    }

    /**
     * Bytes 0..7 of an IPv6 address.
     *
     * @return the high half.
     */
    public long addressHigh()
    {
        return addressHigh;
    }

    /**
     * Bytes 8..15 of an IPv6 address, or the IPv4 address in the low 32 bits.
     *
     * @return the low half.
     */
    public long addressLow()
    {
        return addressLow;
    }

    /**
     * Whether the addresses (not the ports) are the same.
     *
     * @param other endpoint.
     * @return true for the same family and address.
     */
    public boolean sameAddress(final Endpoint other)
    {
        return family == other.family && addressHigh == other.addressHigh && addressLow == other.addressLow;
    }

    /**
     * A JDK socket address (control path only: allocates).
     *
     * @return the address, or null for none.
     */
    public InetSocketAddress toInetSocketAddress()
    {
        if (family == FAMILY_NONE)
        {
            return null;
        }
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(addressBytes()), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The address bytes: 4 for IPv4, 16 for IPv6, 0 for none.
     *
     * @return a new array.
     */
    public byte[] addressBytes()
    {
        if (family == FAMILY_IPV4)
        {
            final int a = (int)addressLow;
            return new byte[]{(byte)(a >>> 24), (byte)(a >>> 16), (byte)(a >>> 8), (byte)a};
        }
        if (family == FAMILY_IPV6)
        {
            final byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(addressHigh >>> (56 - 8 * i));
                bytes[i + 8] = (byte)(addressLow >>> (56 - 8 * i));
            }
            return bytes;
        }
        return new byte[0];
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof Endpoint))
        {
            return false;
        }
        final Endpoint that = (Endpoint)other;
        return family == that.family && port == that.port && addressHigh == that.addressHigh &&
            addressLow == that.addressLow;
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        long h = addressHigh * 31 + addressLow;
        h = h * 31 + port;
        h = h * 31 + family;
        return (int)(h ^ (h >>> 32));
    }

    /**
     * {@code a.b.c.d:port}, {@code [v6]:port} or {@code none}.
     *
     * @return the text form.
     */
    public String toString()
    {
        if (family == FAMILY_IPV4)
        {
            final int a = (int)addressLow;
            return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF) +
                ":" + port;
        }
        if (family == FAMILY_IPV6)
        {
            final InetSocketAddress address = toInetSocketAddress();
            return "[" + address.getAddress().getHostAddress() + "]:" + port;
        }
        return "none";
    }
}
