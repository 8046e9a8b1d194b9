package dev.introducer.engine.transport;

import java.io.IOException;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.channel.epoll.NativeDatagramBatch;

/**
 * Batched syscalls for the connected sockets of one transport (one event loop): a readiness event is drained with
 * {@code recvmmsg} into a preallocated off-heap ring, each datagram is handed to the {@link DatagramSink}, and
 * what the core sends from the ring meanwhile is queued and flushed after the batch with one {@code sendmmsg} per
 * run of datagrams to the same socket. Nothing is copied and nothing is allocated.
 * <p>
 * With {@code UDP_GRO} on a socket, one ring slot may hold several datagrams the kernel coalesced (a burst sent
 * with GSO); they are cut at the reported segment size and handed to the core one by one, as if received one by
 * one. With GSO on, consecutive segments the core forwards unchanged to the same socket are still adjacent in
 * the ring, so they are sent again as one {@code UDP_SEGMENT} datagram: the core checks every segment, and only
 * an unbroken run of accepted, same-size segments to one destination is coalesced.
 * <p>
 * A send from memory outside the ring (the core's own frames) is not queued: the queue is flushed first and the
 * datagram goes out at once, so the order to each destination holds.
 */
final class DatagramBatcher
{
    /** Ring slot: the largest UDP payload, so that neither a plain nor a coalesced datagram is cut short. */
    static final int SLOT_LENGTH = 65_536;
    /** {@code recvmmsg} calls per readiness event before the loop gets the thread back (level-triggered). */
    static final int BATCHES_PER_EVENT = 4;
    /**
     * Fewest messages offered to one {@code recvmmsg}. Netty's JNI code prepares every offered message (field reads,
     * a 192-byte header each) whatever arrives, so at low load a full offer of 64 costs more than it saves.
     */
    static final int MIN_OFFER = 4;
    /** Segments in one GSO send; the kernel's {@code UDP_MAX_SEGMENTS} is 64 on older kernels. */
    static final int MAX_GSO_SEGMENTS = 64;

    private final DatagramSink sink;
    private final int capacity;
    private final boolean gro;
    private boolean gso;
    private final NativeDatagramBatch receiveBatch;
    private final NativeDatagramBatch sendBatch;
    private final UnsafeBuffer ring;
    private final long ringStart;
    private final long ringEnd;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final ConnectedUdpSocket[] queuedTo;
    private final long[] queuedAddress;
    private final int[] queuedLength;
    private final int[] queuedSegmentLength;
    private final int[] queuedSegments;
    private int queued;
    private int offer;
    private boolean inBatch;
    private long sendsDropped;
    private long gsoSends;
    private long coalescedReceives;

    /**
     * A batcher with its ring (capacity × {@link #SLOT_LENGTH} bytes off-heap, allocated here, once).
     *
     * @param sink     where the datagrams go.
     * @param capacity datagrams per {@code recvmmsg} and per {@code sendmmsg}.
     * @param gro      the sockets read with {@code UDP_GRO} (see {@link #isGro()}).
     * @param gso      send coalesced runs with {@code UDP_SEGMENT}.
     */
    DatagramBatcher(final DatagramSink sink, final int capacity, final boolean gro, final boolean gso)
    {
        this.sink = sink;
        this.capacity = capacity;
        this.gro = gro;
        this.gso = gso && NativeDatagramBatch.isUdpSegmentSupported();
        this.receiveBatch = new NativeDatagramBatch(capacity);
        this.sendBatch = new NativeDatagramBatch(capacity);
        this.ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, 4096));
        this.ringStart = ring.addressOffset();
        this.ringEnd = ringStart + ring.capacity();
        for (int i = 0; i < capacity; i++)
        {
            receiveBatch.set(i, ringStart + (long)i * SLOT_LENGTH, SLOT_LENGTH, 0);
        }
        this.queuedTo = new ConnectedUdpSocket[capacity];
        this.queuedAddress = new long[capacity];
        this.queuedLength = new int[capacity];
        this.queuedSegmentLength = new int[capacity];
        this.queuedSegments = new int[capacity];
        this.offer = Math.min(capacity, MIN_OFFER);
    }

    /**
     * Reads what is waiting on a socket, in batches, hands every datagram to the core, and flushes what it sent.
     * Stops at a batch that was not full (the rest, if any, comes with the next readiness event). The number of
     * messages offered adapts: it doubles after a full batch and falls to twice what the last call got.
     *
     * @param socket the readable socket.
     */
    void drain(final ConnectedUdpSocket socket)
    {
        for (int batch = 0; batch < BATCHES_PER_EVENT && !socket.isClosed(); batch++)
        {
            final int received;
            try
            {
                received = receiveBatch.receive(socket.fd().intValue(), offer);
            }
            catch (final IOException ex)
            {
                // A pending ICMP error is reported once; the next call goes on.
                continue;
            }
            inBatch = true;
            try
            {
                for (int i = 0; i < received && !socket.isClosed(); i++)
                {
                    deliver(socket, ringStart + (long)i * SLOT_LENGTH, receiveBatch.receivedLength(i),
                        receiveBatch.segmentSize(i));
                }
            }
            finally
            {
                inBatch = false;
                flush();
            }
            // Adapt the offer: double it after a full batch (more is waiting), else twice what came.
            final boolean full = received == offer;
            offer = full ? Math.min(capacity, offer * 2) : Math.max(Math.min(capacity, MIN_OFFER),
                Math.min(capacity, received * 2));
            if (!full)
            {
                return;
            }
        }
    }

    private void deliver(final ConnectedUdpSocket socket, final long address, final int length, final int segment)
    {
        if (segment <= 0 || segment >= length)
        {
            view.wrap(address, length);
            sink.onDatagram(socket.socketId(), socket.remote(), view, 0, length);
            return;
        }
        coalescedReceives++;
        for (int offset = 0; offset < length && !socket.isClosed(); offset += segment)
        {
            final int segmentLength = Math.min(segment, length - offset);
            view.wrap(address + offset, segmentLength);
            sink.onDatagram(socket.socketId(), socket.remote(), view, 0, segmentLength);
        }
    }

    /**
     * Queues a datagram for the flush at the end of the batch, if it lies in the ring (the core forwards from the
     * receive buffer). It is appended to the previous entry as one more GSO segment when it is the adjacent next
     * segment to the same socket.
     *
     * @return true if queued; false if the caller must send it now (after {@link #flush()}).
     */
    boolean queue(final ConnectedUdpSocket to, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!inBatch || null != buffer.byteArray())
        {
            return false;
        }
        final long address = buffer.addressOffset() + offset;
        if (address < ringStart || address + length > ringEnd || length <= 0)
        {
            return false;
        }
        if (queued > 0)
        {
            final int last = queued - 1;
            final int segmentLength = queuedSegmentLength[last];
            if (gso && queuedTo[last] == to && queuedAddress[last] + queuedLength[last] == address &&
                queuedLength[last] == segmentLength * queuedSegments[last] && length <= segmentLength &&
                queuedSegments[last] < MAX_GSO_SEGMENTS && queuedLength[last] + length <= SLOT_LENGTH - 1)
            {
                queuedLength[last] += length;
                queuedSegments[last]++;
                return true;
            }
        }
        if (queued == capacity)
        {
            flush();
        }
        queuedTo[queued] = to;
        queuedAddress[queued] = address;
        queuedLength[queued] = length;
        queuedSegmentLength[queued] = length;
        queuedSegments[queued] = 1;
        queued++;
        return true;
    }

    /**
     * Sends what is queued: one {@code sendmmsg} per run of entries to the same socket. What the kernel does not
     * take (its buffer full, an ICMP error pending) is dropped, as UDP may, and counted.
     */
    void flush()
    {
        int start = 0;
        while (start < queued)
        {
            final ConnectedUdpSocket to = queuedTo[start];
            int end = start + 1;
            while (end < queued && queuedTo[end] == to)
            {
                end++;
            }
            if (to.isClosed())
            {
                sendsDropped += datagrams(start, end);
            }
            else
            {
                sendRun(to, start, end);
            }
            start = end;
        }
        for (int i = 0; i < queued; i++)
        {
            queuedTo[i] = null;
        }
        queued = 0;
    }

    private void sendRun(final ConnectedUdpSocket to, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final int segments = queuedSegments[i];
            sendBatch.set(i, queuedAddress[i], queuedLength[i], segments > 1 ? queuedSegmentLength[i] : 0);
            if (segments > 1)
            {
                gsoSends++;
            }
        }
        final int fd = to.fd().intValue();
        int next = start;
        while (next < end)
        {
            try
            {
                final int sent = sendBatch.send(fd, next, end - next);
                if (sent <= 0)
                {
                    break;
                }
                next += sent;
            }
            catch (final IOException ex)
            {
                if (queuedSegments[next] > 1)
                {
                    // The route cannot segment (no checksum offload, IPsec): send each segment, and no more GSO.
                    gso = false;
                    resendSegments(to, next);
                }
                else
                {
                    // ECONNREFUSED and friends from an ICMP error: this one is lost, the rest go on.
                    sendsDropped++;
                }
                next++;
            }
        }
        sendsDropped += datagrams(next, end);
    }

    private void resendSegments(final ConnectedUdpSocket to, final int entry)
    {
        final int segmentLength = queuedSegmentLength[entry];
        final int length = queuedLength[entry];
        for (int offset = 0; offset < length; offset += segmentLength)
        {
            if (!to.sendNow(queuedAddress[entry] + offset, Math.min(segmentLength, length - offset)))
            {
                sendsDropped++;
            }
        }
    }

    private long datagrams(final int start, final int end)
    {
        long sum = 0;
        for (int i = start; i < end; i++)
        {
            sum += queuedSegments[i];
        }
        return sum;
    }

    /**
     * Whether the sockets this batcher reads should turn on {@code UDP_GRO}: its cutting of coalesced datagrams
     * needs the segment size only a batched receive reports.
     *
     * @return true if asked for.
     */
    boolean isGro()
    {
        return gro;
    }

    /**
     * Datagrams queued by the core but not taken by the kernel at the flush.
     *
     * @return the count.
     */
    long sendsDropped()
    {
        return sendsDropped;
    }

    /**
     * Sends that carried more than one datagram ({@code UDP_SEGMENT}).
     *
     * @return the count.
     */
    long gsoSends()
    {
        return gsoSends;
    }

    /**
     * Received ring slots that held more than one datagram ({@code UDP_GRO}).
     *
     * @return the count.
     */
    long coalescedReceives()
    {
        return coalescedReceives;
    }
}
