package io.netty.channel.epoll;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.channel.epoll.NativeDatagramPacketArray.NativeDatagramPacket;

/**
 * Allocation-free {@code recvmmsg} / {@code sendmmsg} on a <em>connected</em> UDP socket, through the JNI calls
 * Netty's epoll transport already ships ({@code Native.recvmmsg0}, {@code Native.sendmmsg0}).
 * <p>
 * Why it lives in Netty's package: those calls and {@link NativeDatagramPacket} are package-private, and Netty's
 * own users of them ({@code EpollDatagramChannel.scatteringRead}, the outbound buffer) wrap every datagram in a new
 * {@code DatagramPacket} with a new address. The JNI side itself allocates nothing on the Java heap: for each
 * message it reads the packet's {@code memoryAddress} (a pointer to an {@code iovec} array), {@code count} (the
 * number of iovecs) and, on send, {@code segmentSize} ({@code UDP_SEGMENT} when above 0) and the recipient (none
 * when {@code recipientAddrLen} is 0: the socket is connected). After a receive it writes the received length into
 * {@code count}, the sender into the packet's preallocated {@code senderAddr} array, and the {@code UDP_GRO}
 * segment size into {@code segmentSize} (only when the socket has a control buffer, see
 * {@link #enableGro(LinuxSocket)}). Those fields are private, so they are reached with {@link VarHandle}s made
 * once; split packages are allowed on the class path, and when anything here is missing
 * {@link #isAvailable()} says false and the caller keeps its one-datagram-per-syscall path.
 * <p>
 * One batch holds {@code capacity} messages, each with one iovec in off-heap memory owned by the batch. Not
 * thread-safe: one per event loop.
 */
public final class NativeDatagramBatch
{
    /** {@code sizeof(struct iovec)} on LP64: base pointer, length. */
    private static final int IOVEC_LENGTH = 16;
    private static final VarHandle MEMORY_ADDRESS;
    private static final VarHandle COUNT;
    private static final VarHandle SEGMENT_SIZE;
    private static final VarHandle RECIPIENT_ADDR_LEN;
    private static final Throwable UNAVAILABILITY_CAUSE;

    static
    {
        VarHandle memoryAddress = null;
        VarHandle count = null;
        VarHandle segmentSize = null;
        VarHandle recipientAddrLen = null;
        Throwable cause = null;
        try
        {
            if (!Epoll.isAvailable())
            {
                throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
            }
            if (!Native.IS_SUPPORTING_RECVMMSG || !Native.IS_SUPPORTING_SENDMMSG)
            {
                throw new IllegalStateException("recvmmsg/sendmmsg unsupported by the kernel");
            }
            if (!"64".equals(System.getProperty("sun.arch.data.model", "64")))
            {
                throw new IllegalStateException("not a 64-bit address space");
            }
            final MethodHandles.Lookup lookup =
                MethodHandles.privateLookupIn(NativeDatagramPacket.class, MethodHandles.lookup());
            memoryAddress = lookup.findVarHandle(NativeDatagramPacket.class, "memoryAddress", long.class);
            count = lookup.findVarHandle(NativeDatagramPacket.class, "count", int.class);
            segmentSize = lookup.findVarHandle(NativeDatagramPacket.class, "segmentSize", int.class);
            recipientAddrLen = lookup.findVarHandle(NativeDatagramPacket.class, "recipientAddrLen", int.class);
        }
        catch (final Throwable ex)
        {
            cause = ex;
        }
        MEMORY_ADDRESS = memoryAddress;
        COUNT = count;
        SEGMENT_SIZE = segmentSize;
        RECIPIENT_ADDR_LEN = recipientAddrLen;
        UNAVAILABILITY_CAUSE = cause;
    }

    private final NativeDatagramPacket[] packets;
    private final UnsafeBuffer iovecs;
    private final long iovecAddress;

    /**
     * A batch of {@code capacity} messages (allocates the packets and their iovecs, once).
     *
     * @param capacity messages per call, 1..1024 ({@code UIO_MAXIOV}).
     * @throws IllegalStateException when {@link #isAvailable()} is false.
     */
    public NativeDatagramBatch(final int capacity)
    {
        if (null != UNAVAILABILITY_CAUSE)
        {
            throw new IllegalStateException("native datagram batches unavailable", UNAVAILABILITY_CAUSE);
        }
        if (capacity < 1 || capacity > io.netty.channel.unix.Limits.UIO_MAX_IOV)
        {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        final NativeDatagramPacketArray owner = new NativeDatagramPacketArray();
        owner.release();
        packets = new NativeDatagramPacket[capacity];
        iovecs = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * IOVEC_LENGTH, IOVEC_LENGTH));
        iovecAddress = iovecs.addressOffset();
        for (int i = 0; i < capacity; i++)
        {
            final NativeDatagramPacket packet = owner.new NativeDatagramPacket();
            MEMORY_ADDRESS.set(packet, iovecAddress + (long)i * IOVEC_LENGTH);
            COUNT.set(packet, 1);
            packets[i] = packet;
        }
    }

    /**
     * Whether batches can be made here (epoll, the kernel calls, and the Netty internals this relies on).
     *
     * @return true if they can.
     */
    public static boolean isAvailable()
    {
        return null == UNAVAILABILITY_CAUSE;
    }

    /**
     * Why batches cannot be made.
     *
     * @return the cause, or null when {@link #isAvailable()}.
     */
    public static Throwable unavailabilityCause()
    {
        return UNAVAILABILITY_CAUSE;
    }

    /**
     * Whether the kernel takes {@code UDP_SEGMENT} (GSO on send).
     *
     * @return true if it does.
     */
    public static boolean isUdpSegmentSupported()
    {
        return isAvailable() && Native.IS_SUPPORTING_UDP_SEGMENT;
    }

    /**
     * Turns on {@code UDP_GRO} and gives the socket's receives a control buffer, so that {@link #segmentSize}
     * reports how a coalesced datagram is cut. (Netty's {@code recvmmsg0} passes a control buffer only when
     * {@code IP_RECVORIGDSTADDR} is on; the original destination it then reports is ignored.)
     *
     * @param socket a datagram socket.
     * @throws IOException when the kernel refuses either option.
     */
    public static void enableGro(final LinuxSocket socket) throws IOException
    {
        socket.setUdpGro(true);
        socket.setIpRecvOrigDestAddr(true);
    }

    /**
     * {@link #enableGro(LinuxSocket)} for a socket known only by its file descriptor (one that another API owns:
     * it is not closed or otherwise touched).
     *
     * @param fd a datagram socket's file descriptor.
     * @throws IOException when the kernel refuses either option.
     */
    public static void enableGro(final int fd) throws IOException
    {
        enableGro(new LinuxSocket(fd));
    }

    /**
     * Messages per call.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return packets.length;
    }

    /**
     * Points message {@code index} at memory: where a receive writes, or what a send sends.
     *
     * @param index       of the message.
     * @param address     of the memory.
     * @param length      of the memory, or of the datagram (all its segments) to send.
     * @param segmentSize for a send: the GSO segment size, or 0 for one plain datagram.
     */
    public void set(final int index, final long address, final int length, final int segmentSize)
    {
        final int iovec = index * IOVEC_LENGTH;
        iovecs.putLong(iovec, address);
        iovecs.putLong(iovec + Long.BYTES, length);
        final NativeDatagramPacket packet = packets[index];
        COUNT.set(packet, 1);
        SEGMENT_SIZE.set(packet, segmentSize);
        // A receive with IP_RECVORIGDSTADDR on fills in a recipient; a send must go to the connected peer.
        RECIPIENT_ADDR_LEN.set(packet, 0);
    }

    /**
     * {@code recvmmsg} into messages {@code 0 .. count - 1} (set up with {@link #set}); does not block.
     *
     * @param fd    a connected, non-blocking datagram socket.
     * @param count messages to offer, 1..{@link #capacity()}.
     * @return the number of datagrams received, 0 if none was waiting.
     * @throws IOException on a socket error (a pending ICMP error, for one).
     */
    public int receive(final int fd, final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            // recvmmsg0 overwrites count (the iovec count) with the received length.
            COUNT.set(packets[i], 1);
        }
        return Native.recvmmsg(fd, false, packets, 0, count);
    }

    /**
     * The length of the datagram a {@link #receive} put into message {@code index}.
     *
     * @param index of the message.
     * @return its length in bytes.
     */
    public int receivedLength(final int index)
    {
        return (int)COUNT.get(packets[index]);
    }

    /**
     * The {@code UDP_GRO} segment size of the datagram received into message {@code index}: above 0 when the
     * kernel coalesced several datagrams of that size (the last one may be shorter) into it.
     *
     * @param index of the message.
     * @return the segment size, or 0 for one plain datagram.
     */
    public int segmentSize(final int index)
    {
        return (int)SEGMENT_SIZE.get(packets[index]);
    }

    /**
     * {@code sendmmsg} of messages {@code offset .. offset + count - 1} (set up with {@link #set}) on a connected
     * socket; does not block.
     *
     * @param fd     a connected, non-blocking datagram socket.
     * @param offset of the first message.
     * @param count  messages.
     * @return how many the kernel took (from the first), 0 if its buffer was full.
     * @throws IOException when the first could not be sent for another reason.
     */
    public int send(final int fd, final int offset, final int count) throws IOException
    {
        return Native.sendmmsg(fd, false, packets, offset, count);
    }
}
