package dev.introducer.tools.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny client for {@link UdpEcho}: from ONE local socket it asks each server how it sees us, which is what tells
 * an endpoint-independent NAT (same public port for every server) from a symmetric one.
 * <p>
 * Usage: {@code UdpProbe ip:port [ip:port...]}. Prints {@code local *:PORT}, then one line
 * {@code observed SERVER BY_SERVER} per server; exit 0 if every server answered, 1 if one did not.
 * Each server gets up to 5 tries 500 ms apart, so the probe ends within about 2.5 s per server.
 */
public final class UdpProbe
{
    private static final int ATTEMPTS = 5;
    private static final int REPLY_TIMEOUT_MILLIS = 500;

    private UdpProbe()
    {
    }

    /**
     * @param args server endpoints {@code ip:port}.
     * @throws IOException if the socket cannot be opened.
     */
    public static void main(final String[] args) throws IOException
    {
        if (0 == args.length)
        {
            System.err.println("usage: UdpProbe ip:port [ip:port...]");
            System.exit(2);
        }
        final List<InetSocketAddress> servers = new ArrayList<>();
        for (final String arg : args)
        {
            servers.add(parseEndpoint(arg));
        }
        boolean allAnswered = true;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            System.out.println("local *:" + socket.getLocalPort());
            for (final InetSocketAddress server : servers)
            {
                final String observed = ask(socket, server);
                final String serverText = server.getAddress().getHostAddress() + ":" + server.getPort();
                if (null == observed)
                {
                    System.out.println("noanswer " + serverText);
                    allAnswered = false;
                }
                else
                {
                    System.out.println("observed " + serverText + " " + observed);
                }
            }
        }
        System.out.flush();
        System.exit(allAnswered ? 0 : 1);
    }

    /**
     * Parses {@code ip:port} (IPv4 literal, no name lookup).
     *
     * @param endpoint e.g. {@code 198.18.0.10:3478}.
     * @return the socket address.
     */
    static InetSocketAddress parseEndpoint(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("expected ip:port, got " + endpoint);
        }
        try
        {
            // a literal address: getByName does no lookup, and the lab has no resolver anyway
            return new InetSocketAddress(
                InetAddress.getByName(endpoint.substring(0, colon)), Integer.parseInt(endpoint.substring(colon + 1)));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("expected ip:port, got " + endpoint, ex);
        }
    }

    private static String ask(final DatagramSocket socket, final InetSocketAddress server) throws IOException
    {
        final byte[] request = "probe".getBytes(StandardCharsets.US_ASCII);
        final byte[] buffer = new byte[1500];
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            socket.send(new DatagramPacket(request, request.length, server));
            final long deadline = System.nanoTime() + REPLY_TIMEOUT_MILLIS * 1_000_000L;
            while (System.nanoTime() - deadline < 0)
            {
                final DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                try
                {
                    socket.receive(reply);
                }
                catch (final SocketTimeoutException ex)
                {
                    break;
                }
                // a late answer from a server asked earlier must not count for this one
                if (server.equals(reply.getSocketAddress()))
                {
                    return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
                }
            }
        }
        return null;
    }
}
