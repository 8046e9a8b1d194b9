package dev.introducer.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.host.TransportHandler;
import dev.introducer.protocol.Endpoint;

/**
 * What a {@link TransportHandler} throws on the transport's thread goes to the transport's error handler, and the
 * transport carries on: the next datagrams and timers still arrive.
 */
class TransportErrorPathTest
{
    private static final long WAIT_MS = 5_000;

    @Test
    void aThrowingHandlerIsReportedAndTheTransportKeepsDelivering() throws Exception
    {
        final BlockingQueue<Throwable> reported = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> delivered = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> timers = new LinkedBlockingQueue<>();
        final AtomicInteger timerCalls = new AtomicInteger();
        final NettyTransport[] holder = new NettyTransport[1];
        final TransportHandler throwing = new TransportHandler()
        {
            public void start(final long nowNs)
            {
                holder[0].wakeAt(nowNs);
            }

            public void onDatagram(final long nowNs, final int socketId, final Endpoint source,
                final MutableDirectBuffer buffer, final int offset, final int length)
            {
                final int sequence = buffer.getByte(offset);
                delivered.add(sequence);
                throw new IllegalStateException("datagram " + sequence);
            }

            public void onTimer(final long nowNs)
            {
                final int call = timerCalls.incrementAndGet();
                timers.add(nowNs);
                if (call < 3)
                {
                    holder[0].wakeAt(nowNs + TimeUnit.MILLISECONDS.toNanos(10));
                }
                throw new IllegalStateException("timer " + call);
            }

            public void close()
            {
            }
        };
        final NettyTransport transport = new NettyTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new TransportOptions().errorHandler(reported::add));
        holder[0] = transport;
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            transport.start(throwing);
            for (int timer = 1; timer <= 3; timer++)
            {
                assertNotNull(timers.poll(WAIT_MS, TimeUnit.MILLISECONDS), "timer " + timer);
                assertEquals("timer " + timer, next(reported).getMessage());
            }
            for (int sequence = 1; sequence <= 3; sequence++)
            {
                sender.send(new DatagramPacket(new byte[]{ (byte)sequence }, 1, transport.mainLocalAddress()));
                assertEquals(sequence, delivered.poll(WAIT_MS, TimeUnit.MILLISECONDS));
                assertEquals("datagram " + sequence, next(reported).getMessage());
            }
            assertTrue(reported.isEmpty(), "one report per throw");
        }
        finally
        {
            transport.close();
        }
    }

    private static Throwable next(final BlockingQueue<Throwable> reported) throws InterruptedException
    {
        final Throwable error = reported.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(error, "reported");
        return error;
    }
}
