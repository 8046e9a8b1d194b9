package dev.introducer.tools.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny UDP reflector for lab tests: answers every datagram with the sender's {@code ip:port} as it saw it, like
 * the mapping half of STUN.
 * <p>
 * Usage: {@code UdpEcho [--max-seconds N] ip:port [ip:port...]}. It binds every address first, then prints
 * {@code ready}, and exits by itself after N seconds (default 120) so that nothing outlives a broken test.
 */
public final class UdpEcho
{
    /** The log line printed once every socket is bound. */
    public static final String READY = "ready";

    private static final int DEFAULT_MAX_SECONDS = 120;
    private static final int RECEIVE_TIMEOUT_MILLIS = 200;

    private UdpEcho()
    {
    }

    /**
     * @param args {@code [--max-seconds N] ip:port [ip:port...]}.
     * @throws Exception if an address cannot be bound.
     */
    public static void main(final String[] args) throws Exception
    {
        int maxSeconds = DEFAULT_MAX_SECONDS;
        final List<InetSocketAddress> bindAddresses = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            if ("--max-seconds".equals(args[i]))
            {
                maxSeconds = Integer.parseInt(args[++i]);
            }
            else
            {
                bindAddresses.add(UdpProbe.parseEndpoint(args[i]));
            }
        }
        if (bindAddresses.isEmpty())
        {
            System.err.println("usage: UdpEcho [--max-seconds N] ip:port [ip:port...]");
            System.exit(2);
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        final List<Thread> threads = new ArrayList<>();
        for (final InetSocketAddress address : bindAddresses)
        {
            final DatagramSocket socket = new DatagramSocket(address);
            socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
            final Thread thread = new Thread(() -> serve(socket, deadline), "echo-" + address);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        System.out.println(READY + " " + bindAddresses);
        System.out.flush();
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }

    private static void serve(final DatagramSocket socket, final long deadline)
    {
        final byte[] buffer = new byte[1500];
        try (socket)
        {
            while (System.nanoTime() - deadline < 0)
            {
                final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    continue;
                }
                final byte[] observed = (packet.getAddress().getHostAddress() + ":" + packet.getPort())
                    .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(observed, observed.length, packet.getSocketAddress()));
            }
        }
        catch (final IOException ex)
        {
            System.err.println("echo on " + socket.getLocalSocketAddress() + " failed: " + ex);
        }
    }
}
