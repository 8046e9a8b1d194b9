package dev.introducer.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayToken;

/**
 * The command line of {@link RelayLoad}, parsed and bounded. Every run is loopback only, bounded in time
 * ({@link #MAX_DURATION_S}, {@link #MAX_WARMUP_S}) and in sockets ({@link #MAX_SESSIONS}).
 */
final class LoadOptions
{
    /** Longest measured window. */
    static final double MAX_DURATION_S = 60;
    /** Longest warm-up. */
    static final double MAX_WARMUP_S = 30;
    /** Sessions at most (two sockets each). */
    static final int MAX_SESSIONS = 1024;
    /** Smallest datagram: the 8-byte relay prefix and the 24-byte probe header. */
    static final int MIN_SIZE = 32;
    /** Largest datagram: an Ethernet MTU's UDP payload. */
    static final int MAX_SIZE = 1472;
    /** Highest fixed rate. */
    static final long MAX_RATE = 5_000_000;
    /** Most datagrams per GSO send (the kernel's UDP_MAX_SEGMENTS on older kernels). */
    static final int MAX_GSO_SEGMENTS = 64;
    /** Most bytes per GSO send: one UDP datagram's payload. */
    static final int MAX_GSO_BYTES = 65_507;

    static final String USAGE = String.join("\n",
        "usage: RelayLoad --target introducer|relayfwd|direct [--relay 127.x.y.z:PORT]",
        "                 [--secret-file F | --secret S] [--relay-public IP:PORT]",
        "                 (--rate N | --max) [--sessions P] [--size BYTES] [--duration S] [--warmup S]",
        "                 [--echo] [--gso K] [--cpu-pid PID] [--label TEXT] [--json]",
        "                 [--drain-cycles C --fill N]",
        "  --target introducer  our relay: both legs bind with a RELAY_BIND signed over the fleet secret,",
        "                       then send RELAY_DATA (C1 A7 01 0F + channel id + payload)",
        "  --target relayfwd    the reference C relay: every datagram starts with an 8-byte BE session id",
        "  --target direct      no relay, A -> B: the load generator's own ceiling",
        "  --relay IP:PORT      the relay, loopback only (127.0.0.0/8)",
        "  --secret-file F      the fleet secret, read like `introducer node --relay-secret-file` (stripped)",
        "  --secret S           the fleet secret as text (at least 16 bytes)",
        "  --relay-public E     the endpoint the tokens name (default: --relay)",
        "  --rate N             datagrams/s in total from the A legs, paced; latency from the intended send time",
        "  --max                as fast as this one thread can send",
        "  --sessions P         relay sessions = A/B socket pairs (default 16, at most 1024)",
        "  --size BYTES         UDP payload per datagram, 8-byte relay prefix included (default 64; 32..1472)",
        "  --duration S         measured window (default 8, at most 60)",
        "  --warmup S           excluded first seconds (default 2, at most 30)",
        "  --echo               B legs send every datagram back through the relay: round-trip times",
        "  --gso K              with --max: the A legs send K datagrams per send with UDP_SEGMENT (GSO; a relay",
        "                       with UDP_GRO on gets each burst as one coalesced datagram); K*size <= 65507",
        "  --drain-cycles C     instead of a timed run, C fill-and-drain cycles (needs --max and --cpu-pid): stop",
        "                       the relay (SIGSTOP), send --fill N datagrams into its socket buffers, resume it",
        "                       (SIGCONT), wait until B has them; relay CPU (schedstat) per datagram at full batches,",
        "                       whatever else the machine runs; 30 warm-up cycles first",
        "  --cpu-pid PID        report this process's CPU (utime+stime, /proc/PID/stat) over the window",
        "  --label TEXT         echoed in the result",
        "  --json               print one JSON object instead of the RESULT line");

    /** Which relay contract the legs speak. */
    enum Target
    {
        /** Our relay: RELAY_BIND with a token, then RELAY_DATA by channel id. */
        INTRODUCER,
        /** The reference relayfwd: an 8-byte session id prefix; the first two senders are the legs. */
        RELAYFWD,
        /** No relay: A sends to B directly. */
        DIRECT
    }

    Target target;
    InetSocketAddress relay;
    Endpoint relayPublic;
    byte[] secret;
    int sessions = 16;
    int size = 64;
    /** Datagrams per second from the A legs; 0 for as fast as possible. */
    long rate = -1;
    double durationS = 8;
    double warmupS = 2;
    boolean echo;
    /** Datagrams per GSO send from the A legs; 1 for plain sends. */
    int gso = 1;
    /** Fill-and-drain cycles instead of a timed run; 0 for a timed run. */
    int drainCycles;
    /** Datagrams per fill. */
    int fill = 1024;
    boolean json;
    int cpuPid = -1;
    String label = "-";

    /**
     * Parses a command line.
     *
     * @param args the arguments.
     * @return the options.
     * @throws IllegalArgumentException with a one-line reason.
     */
    static LoadOptions parse(final String[] args)
    {
        final LoadOptions o = new LoadOptions();
        String relayText = null;
        String publicText = null;
        Path secretFile = null;
        String secretText = null;
        boolean max = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--target" -> o.target = target(value(args, ++i, arg));
                case "--relay" -> relayText = value(args, ++i, arg);
                case "--relay-public" -> publicText = value(args, ++i, arg);
                case "--secret-file" -> secretFile = Path.of(value(args, ++i, arg));
                case "--secret" -> secretText = value(args, ++i, arg);
                case "--sessions" -> o.sessions = (int)number(args, ++i, arg, 1, MAX_SESSIONS);
                case "--size" -> o.size = (int)number(args, ++i, arg, MIN_SIZE, MAX_SIZE);
                case "--rate" -> o.rate = number(args, ++i, arg, 1, MAX_RATE);
                case "--max" -> max = true;
                case "--duration" -> o.durationS = seconds(args, ++i, arg, MAX_DURATION_S, false);
                case "--warmup" -> o.warmupS = seconds(args, ++i, arg, MAX_WARMUP_S, true);
                case "--echo" -> o.echo = true;
                case "--gso" -> o.gso = (int)number(args, ++i, arg, 1, MAX_GSO_SEGMENTS);
                case "--drain-cycles" -> o.drainCycles = (int)number(args, ++i, arg, 1, 10_000);
                case "--fill" -> o.fill = (int)number(args, ++i, arg, 1, 65_536);
                case "--json" -> o.json = true;
                case "--cpu-pid" -> o.cpuPid = (int)number(args, ++i, arg, 1, Integer.MAX_VALUE);
                case "--label" -> o.label = value(args, ++i, arg).replaceAll("\\s", "_");
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (null == o.target)
        {
            throw new IllegalArgumentException("--target introducer|relayfwd|direct is required");
        }
        if (max == (o.rate > 0))
        {
            throw new IllegalArgumentException("give exactly one of --rate N and --max");
        }
        if (max)
        {
            o.rate = 0;
        }
        if (o.drainCycles > 0 && (!max || o.echo || o.cpuPid <= 0))
        {
            throw new IllegalArgumentException("--drain-cycles needs --max, no --echo, and --cpu-pid");
        }
        if (o.gso > 1 && (!max || o.echo || (long)o.gso * o.size > MAX_GSO_BYTES))
        {
            throw new IllegalArgumentException("--gso K needs --max, no --echo, and K * size <= " + MAX_GSO_BYTES);
        }
        if (o.target == Target.DIRECT)
        {
            if (null != relayText || null != secretFile || null != secretText)
            {
                throw new IllegalArgumentException("--target direct takes no --relay and no secret");
            }
            return o;
        }
        if (null == relayText)
        {
            throw new IllegalArgumentException("--relay 127.x.y.z:PORT is required for --target " +
                o.target.name().toLowerCase(Locale.ROOT));
        }
        o.relay = loopback(relayText);
        if (o.target == Target.INTRODUCER)
        {
            if ((null == secretFile) == (null == secretText))
            {
                throw new IllegalArgumentException(
                    "--target introducer needs exactly one of --secret-file and --secret");
            }
            o.secret = null != secretFile ? readSecret(secretFile) : secretText.getBytes(StandardCharsets.UTF_8);
            if (o.secret.length < RelayToken.MIN_SECRET_LENGTH)
            {
                throw new IllegalArgumentException("the secret is shorter than " + RelayToken.MIN_SECRET_LENGTH +
                    " bytes");
            }
            o.relayPublic = null != publicText ? Endpoint.parse(publicText) :
                Endpoint.ipv4(ipv4(o.relay), o.relay.getPort());
        }
        else if (null != secretFile || null != secretText || null != publicText)
        {
            throw new IllegalArgumentException("--target relayfwd takes no secret and no --relay-public");
        }
        return o;
    }

    /**
     * Parses {@code IP:PORT} and refuses anything outside 127.0.0.0/8: this tool floods its target.
     *
     * @param text the endpoint.
     * @return the address.
     */
    static InetSocketAddress loopback(final String text)
    {
        final Endpoint endpoint = Endpoint.parse(text);
        if (endpoint.family() != Endpoint.FAMILY_IPV4 || (endpoint.ipv4() >>> 24) != 127)
        {
            throw new IllegalArgumentException("refusing " + text + ": only 127.0.0.0/8 (loopback) is allowed");
        }
        if (endpoint.port() == 0)
        {
            throw new IllegalArgumentException("port 0 in '" + text + "'");
        }
        return endpoint.toInetSocketAddress();
    }

    private static int ipv4(final InetSocketAddress address)
    {
        final byte[] b = address.getAddress().getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static byte[] readSecret(final Path file)
    {
        try
        {
            // As `introducer node --relay-secret-file` reads it, so that the same file works for both.
            return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read the secret " + file + ": " + ex.getMessage());
        }
    }

    private static Target target(final String text)
    {
        return switch (text)
        {
            case "introducer" -> Target.INTRODUCER;
            case "relayfwd" -> Target.RELAYFWD;
            case "direct" -> Target.DIRECT;
            default -> throw new IllegalArgumentException("--target must be introducer, relayfwd or direct: '" +
                text + "'");
        };
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long number(final String[] args, final int i, final String option, final long min,
        final long max)
    {
        final String text = value(args, i, option);
        final long n;
        try
        {
            n = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs a whole number: '" + text + "'");
        }
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ": " + n);
        }
        return n;
    }

    private static double seconds(final String[] args, final int i, final String option, final double max,
        final boolean zeroAllowed)
    {
        final String text = value(args, i, option);
        final double s;
        try
        {
            s = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs seconds: '" + text + "'");
        }
        if (!(s <= max) || s < 0 || (!zeroAllowed && s == 0))
        {
            throw new IllegalArgumentException(option + " must be in " + (zeroAllowed ? "0" : "(0") + ".." +
                (long)max + " s: " + text);
        }
        return s;
    }
}
