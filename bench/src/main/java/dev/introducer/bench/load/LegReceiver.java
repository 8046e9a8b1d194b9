package dev.introducer.bench.load;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;

import io.netty.channel.epoll.NativeDatagramBatch;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one receive path of {@link RelayLoad}: reads what a ready leg has and hands each datagram to a
 * {@link Sink} (the handshake's, then the measurement's). NIO reads, one datagram per call, or with
 * {@code --gso} on the B legs {@code recvmmsg} batches with {@code UDP_GRO}, coalesced datagrams cut at their
 * segment size. Nothing here allocates once the readers are made.
 */
final class LegReceiver
{
    /** Where the datagrams go. */
    interface Sink
    {
        /**
         * One datagram.
         *
         * @param leg      the leg it arrived on.
         * @param datagram its bytes, from offset 0; valid until the next read.
         * @param length   its length.
         * @param nowNs    when it was read.
         */
        void onDatagram(Leg leg, UnsafeBuffer datagram, int length, long nowNs);

        /**
         * A read failed (for example ECONNREFUSED after an ICMP error); reading goes on.
         */
        void onReceiveError();
    }

    static final int RECEIVE_BUFFER_BYTES = 65_536;
    /** Reads per ready leg per poll (level-triggered: the rest come next poll); -Drelayload.reads to experiment. */
    private static final int READS_PER_READY_LEG = Integer.getInteger("relayload.reads", 64);
    /** {@code --gso}: datagrams per {@code recvmmsg} on a B leg, and calls per ready leg per poll. */
    private static final int BATCH = 64;
    private static final int BATCH_ROUNDS = 4;

    private final ByteBuffer receive = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receive);
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);
    private NativeDatagramBatch batch;
    private UnsafeBuffer batchRing;

    /**
     * A selection callback that reads the selected leg into a sink (made once, so that selecting allocates
     * nothing).
     *
     * @param sink where the datagrams go.
     * @return the callback for {@code Selector.select}/{@code selectNow}.
     */
    Consumer<SelectionKey> reader(final Sink sink)
    {
        return key -> read((Leg)key.attachment(), sink);
    }

    /**
     * {@code --gso}: from now on the B legs are read with {@code recvmmsg}, with {@code UDP_GRO} on.
     *
     * @param bLegs the receiving legs.
     * @throws IOException if {@code UDP_GRO} cannot be turned on.
     */
    void readInBatches(final Leg[] bLegs) throws IOException
    {
        batch = new NativeDatagramBatch(BATCH);
        batchRing = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH * RECEIVE_BUFFER_BYTES, 4096));
        for (int i = 0; i < BATCH; i++)
        {
            batch.set(i, batchRing.addressOffset() + (long)i * RECEIVE_BUFFER_BYTES, RECEIVE_BUFFER_BYTES, 0);
        }
        for (final Leg leg : bLegs)
        {
            leg.fd = fdOf(leg.channel);
            NativeDatagramBatch.enableGro(leg.fd);
        }
    }

    /**
     * Sends the datagram read last (one NIO read, possibly changed in place) back on its leg.
     *
     * @param leg the leg it arrived on.
     * @return true if it was written whole.
     */
    boolean writeBack(final Leg leg)
    {
        receive.flip();
        try
        {
            return leg.channel.write(receive) > 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private void read(final Leg leg, final Sink sink)
    {
        if (null != batch && leg.sideB)
        {
            readBatches(leg, sink);
            return;
        }
        final UnsafeBuffer view = receiveView;
        for (int i = 0; i < READS_PER_READY_LEG; i++)
        {
            receive.clear();
            final int length;
            try
            {
                length = leg.channel.read(receive);
            }
            catch (final IOException ex)
            {
                sink.onReceiveError();
                continue;
            }
            if (length <= 0)
            {
                return;
            }
            sink.onDatagram(leg, view, length, System.nanoTime());
        }
    }

    private void readBatches(final Leg leg, final Sink sink)
    {
        final NativeDatagramBatch batch = this.batch;
        final UnsafeBuffer view = batchView;
        for (int round = 0; round < BATCH_ROUNDS; round++)
        {
            final int received;
            try
            {
                received = batch.receive(leg.fd, batch.capacity());
            }
            catch (final IOException ex)
            {
                sink.onReceiveError();
                continue;
            }
            final long now = System.nanoTime();
            for (int i = 0; i < received; i++)
            {
                final long slot = batchRing.addressOffset() + (long)i * RECEIVE_BUFFER_BYTES;
                final int length = batch.receivedLength(i);
                final int segment = batch.segmentSize(i) > 0 ? batch.segmentSize(i) : length;
                for (int offset = 0; offset < length; offset += segment)
                {
                    final int segmentLength = Math.min(segment, length - offset);
                    view.wrap(slot + offset, segmentLength);
                    sink.onDatagram(leg, view, segmentLength, now);
                }
            }
            if (received < batch.capacity())
            {
                return;
            }
        }
    }

    /**
     * The file descriptor of an NIO datagram channel (JDK internals: needs
     * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}).
     */
    private static int fdOf(final DatagramChannel channel)
    {
        try
        {
            final Field field = channel.getClass().getDeclaredField("fdVal");
            field.setAccessible(true);
            return field.getInt(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("--gso reads the B legs natively and needs the JVM flag " +
                "--add-opens java.base/sun.nio.ch=ALL-UNNAMED: " + ex);
        }
    }
}
