package dev.introducer.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.SystemEpochClock;

import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayToken;
import dev.introducer.relay.RelayServer;

/**
 * Our relay alone, for benchmarks: a {@link RelayServer} with N workers on a loopback port, as
 * {@code introducer node --relay IP:PORT --relay-secret-file F --relay-workers N} runs it, without the introducer
 * role. One line on stdout once it listens; it stops on SIGTERM/SIGINT or after {@code --max-seconds} (a safety
 * bound, like relayfwd's {@code -T}), printing its counters on stderr.
 * <p>
 * Settings are the production defaults ({@link RelayConfiguration}) except the per-source bind quota: every leg of
 * the load generator binds from 127.0.0.1, which that quota (20 binds/s per source address) counts as one source.
 * The per-session packet and byte quotas stay at their defaults (50,000 datagrams/s per session).
 */
public final class RelayNode
{
    static final String USAGE = String.join("\n",
        "usage: RelayNode --listen 127.x.y.z:PORT (--secret-file F | --secret S) [--workers N]",
        "                 [--public IP:PORT] [--bind-rate N] [--max-seconds S] [--batch N] [--udp-offload on|off]",
        "  --listen       the relay port, loopback only",
        "  --workers      epoll workers on the port (SO_REUSEPORT), default 1",
        "  --batch        datagrams per recvmmsg/sendmmsg on the legs' sockets (default " +
            RelayServer.DATAGRAM_BATCH_DEFAULT + "; 1: one recv and one send each)",
        "  --udp-offload  UDP_GRO on the legs' sockets and UDP_SEGMENT when forwarding coalesced bursts (default " +
            (RelayServer.UDP_OFFLOAD_DEFAULT ? "on" : "off") + ")",
        "  --public       the endpoint tokens name (default: --listen)",
        "  --bind-rate    bind attempts per second per source address (default 1000; production: 20)",
        "  --max-seconds  stop by itself after this long (default 120, at most 3600)");

    private RelayNode()
    {
    }

    /**
     * Runs the relay until stopped.
     *
     * @param args see {@link #USAGE}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        InetSocketAddress listen = null;
        Endpoint publicEndpoint = null;
        byte[] secret = null;
        int workers = 1;
        int bindRate = 1000;
        int batch = RelayServer.DATAGRAM_BATCH_DEFAULT;
        boolean offload = RelayServer.UDP_OFFLOAD_DEFAULT;
        long maxSeconds = 120;
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                final String value = i + 1 < args.length ? args[i + 1] : null;
                if ("-h".equals(arg) || "--help".equals(arg))
                {
                    System.out.println(USAGE);
                    return;
                }
                if (null == value)
                {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                i++;
                switch (arg)
                {
                    case "--listen" -> listen = LoadOptions.loopback(value);
                    case "--public" -> publicEndpoint = Endpoint.parse(value);
                    case "--secret-file" -> secret = Files.readString(Path.of(value)).strip()
                        .getBytes(StandardCharsets.UTF_8);
                    case "--secret" -> secret = value.getBytes(StandardCharsets.UTF_8);
                    case "--workers" -> workers = bounded(arg, value, 1, 64);
                    case "--bind-rate" -> bindRate = bounded(arg, value, 1, Integer.MAX_VALUE);
                    case "--max-seconds" -> maxSeconds = bounded(arg, value, 1, 3600);
                    case "--batch" -> batch = bounded(arg, value, 1, 256);
                    case "--udp-offload" -> offload = onOff(arg, value);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            if (null == listen || null == secret)
            {
                throw new IllegalArgumentException("--listen and a secret are required");
            }
            if (secret.length < RelayToken.MIN_SECRET_LENGTH)
            {
                throw new IllegalArgumentException("the secret is shorter than " + RelayToken.MIN_SECRET_LENGTH +
                    " bytes");
            }
        }
        catch (final IllegalArgumentException | IOException ex)
        {
            System.err.println("RelayNode: " + ex.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (null == publicEndpoint)
        {
            publicEndpoint = Endpoint.parse(listen.getAddress().getHostAddress() + ":" + listen.getPort());
        }
        final RelayConfiguration configuration = new RelayConfiguration().publicEndpoint(publicEndpoint)
            .secret(secret).bindRatePerSource(bindRate);
        final RelayServer relay = new RelayServer(configuration, listen, workers, false, SystemEpochClock.INSTANCE,
            batch, offload);
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stop.countDown();
            try
            {
                stopped.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "relay-node-stop"));
        System.out.println("RelayNode listening " + listen.getAddress().getHostAddress() + ":" +
            relay.localAddress().getPort() + " workers=" + workers + " epoll=" + relay.isEpoll() + " batch=" + batch +
            " udp_offload=" + offload + " pid=" +
            ProcessHandle.current().pid());
        System.out.flush();
        try
        {
            stop.await(maxSeconds, TimeUnit.SECONDS);
            final StringBuilder counters = new StringBuilder("RelayNode counters:");
            for (final RelayCounters.Type type : RelayCounters.Type.values())
            {
                final long value = relay.counter(type);
                if (value != 0)
                {
                    counters.append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(value);
                }
            }
            counters.append(" batching=").append(relay.isBatching()).append(" batched_sends_dropped=")
                .append(relay.batchedSendsDropped()).append(" coalesced_receives=")
                .append(relay.coalescedReceives()).append(" gso_sends=").append(relay.gsoSends());
            System.err.println(counters);
            relay.close();
        }
        finally
        {
            stopped.countDown();
        }
    }

    private static boolean onOff(final String option, final String value)
    {
        return switch (value)
        {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + " takes on or off: '" + value + "'");
        };
    }

    private static int bounded(final String option, final String value, final int min, final int max)
    {
        final int n;
        try
        {
            n = Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs a whole number: '" + value + "'");
        }
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ": " + n);
        }
        return n;
    }
}
