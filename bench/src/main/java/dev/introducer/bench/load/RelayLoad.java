package dev.introducer.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.transport.SegmentedSender;
import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.FrameHeader;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * A load generator and latency probe for UDP relays on loopback, in the style of the reference C
 * {@code relayload} (see {@code /work/shared/bench/README.md}), so that our relay and the reference C forwarder
 * can be driven by the same Java code, side by side.
 * <p>
 * It opens P pairs of connected NIO {@link DatagramChannel}s (leg A, leg B), one pair per relay session, and
 * drives all of them from <em>one</em> thread, a busy loop, so that it can be pinned to one CPU:
 * <ol>
 *     <li>Handshake. {@code introducer}: each leg sends a 140-byte RELAY_BIND signed with {@link RelayToken} over
 *     the fleet secret until the relay's RELAY_BIND_ACK says both legs are bound, and carries the channel id.
 *     {@code relayfwd}: both legs repeat a registration datagram until each has heard the other through the
 *     relay (the first two senders of a session id become its legs).</li>
 *     <li>Load. For warm-up + duration seconds the A legs send, round robin in bursts of up to 16 from one leg,
 *     either paced at {@code --rate} datagrams/s in total or as fast as the thread can ({@code --max}). Between
 *     sends it polls a {@link Selector} ({@code selectNow}, no blocking) and drains the ready legs. B records the
 *     one-way time; with {@code --echo} B sends each datagram back through the relay and A records the round
 *     trip.</li>
 *     <li>Drain: datagrams in flight at the end are collected for up to 0.5 s.</li>
 * </ol>
 * Datagram layout (the UDP payload, {@code --size} bytes): an 8-byte relay prefix (RELAY_DATA header
 * {@code C1 A7 01 0F} + channel id, or relayfwd's big-endian session id), then magic {@code RLJ1}, type, pair
 * index, sequence, send timestamp, zero padding.
 * <p>
 * Timestamps are {@link System#nanoTime()} in this process (A and B share the clock). With {@code --rate} the
 * timestamp is the datagram's <em>intended</em> send time (start + n / rate), not the moment it left, so that a
 * stall of the generator shows as latency instead of hiding it (no coordinated omission; the
 * {@code LoadTestRig} rule). With {@code --max} there is no schedule and the timestamp is the actual send time;
 * the latency of a saturated relay is its queue, not a property to report. Only datagrams whose timestamp falls
 * in the window after the warm-up count, for every figure.
 * <p>
 * Bounded: loopback targets only, at most 60 s of load, 30 s of warm-up, 10 s of handshake, 1024 sessions.
 */
public final class RelayLoad implements AutoCloseable
{
    static final int MAGIC = 0x524C_4A31;
    static final int T_REG = 1;
    static final int T_DATA = 2;
    static final int T_ECHO = 3;
    static final int MAGIC_OFFSET = 8;
    static final int TYPE_OFFSET = 12;
    static final int PAIR_OFFSET = 14;
    static final int SEQ_OFFSET = 16;
    static final int TIMESTAMP_OFFSET = 24;
    static final int HEADER_LENGTH = 32;

    private static final int BURST = 16;
    /** Reads per ready leg per poll (level-triggered: the rest come next poll); -Drelayload.reads to experiment. */
    private static final int READS_PER_READY_LEG = Integer.getInteger("relayload.reads", 64);
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final int RECEIVE_BUFFER_BYTES = 65_536;
    /** {@code --gso}: datagrams per {@code recvmmsg} on a B leg, and calls per ready leg per poll. */
    private static final int GSO_RECEIVE_BATCH = 64;
    private static final int GSO_RECEIVE_ROUNDS = 4;
    private static final long HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long BIND_RESEND_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long REGISTER_RESEND_NS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final long SETTLE_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long DRAIN_QUIET_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long SNAPSHOT_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long TOKEN_LIFETIME_MS = TimeUnit.MINUTES.toMillis(10);

    private final LoadOptions options;
    private final Leg[] aLegs;
    private final Leg[] bLegs;
    private final Selector selector;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receive);
    private final Histogram oneWay = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram roundTrip = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Consumer<SelectionKey> onLoadReadable = this::onLoadReadable;
    private final UnsafeBuffer gsoReceiveView = new UnsafeBuffer(0, 0);
    private io.netty.channel.epoll.NativeDatagramBatch gsoReceive;
    private UnsafeBuffer gsoReceiveRing;
    private final Consumer<SelectionKey> onHandshakeReadable = this::onHandshakeReadable;
    private final long[] sessionIds;
    private long windowStartNs = Long.MAX_VALUE;
    private String handshakeFailure;

    private long txWindow;
    private long txErrors;
    private long rxB;
    private long rxBWindow;
    private long echoSent;
    private long echoErrors;
    private long echoRxWindow;
    private long reordered;
    private long unexpected;
    private long receiveErrors;
    private long lastReceiveNs;

    /** One socket of a pair. */
    private static final class Leg
    {
        final int pair;
        final boolean sideB;
        final DatagramChannel channel;
        final ByteBuffer transmit;
        final UnsafeBuffer transmitView;
        SegmentedSender gso;
        int fd = -1;
        long sequence;
        long lastSequence = -1;
        boolean ready;
        int channelId;
        ByteBuffer handshake;

        Leg(final int pair, final boolean sideB, final DatagramChannel channel, final int size, final int segments)
        {
            this.pair = pair;
            this.sideB = sideB;
            this.channel = channel;
            this.transmit = ByteBuffer.allocateDirect(size * segments);
            this.transmitView = new UnsafeBuffer(transmit);
        }
    }

    /**
     * Opens the legs (nothing is sent yet).
     *
     * @param options the parsed command line.
     * @throws IOException if a socket cannot be opened.
     */
    RelayLoad(final LoadOptions options) throws IOException
    {
        this.options = options;
        this.aLegs = new Leg[options.sessions];
        this.bLegs = new Leg[options.sessions];
        this.sessionIds = new long[options.sessions];
        this.selector = Selector.open();
        final long base = new SplittableRandom().nextLong() & 0x7FFF_FFFF_0000_0000L | 1L << 32;
        try
        {
            for (int i = 0; i < options.sessions; i++)
            {
                sessionIds[i] = base + i;
                aLegs[i] = new Leg(i, false, open(), options.size, options.gso);
                bLegs[i] = new Leg(i, true, open(), options.size, 1);
            }
            for (int i = 0; i < options.sessions; i++)
            {
                if (options.target == LoadOptions.Target.DIRECT)
                {
                    aLegs[i].channel.connect(bLegs[i].channel.getLocalAddress());
                    bLegs[i].channel.connect(aLegs[i].channel.getLocalAddress());
                }
                else
                {
                    aLegs[i].channel.connect(options.relay);
                    bLegs[i].channel.connect(options.relay);
                }
                aLegs[i].channel.register(selector, SelectionKey.OP_READ, aLegs[i]);
                bLegs[i].channel.register(selector, SelectionKey.OP_READ, bLegs[i]);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static DatagramChannel open() throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * Runs the command line.
     *
     * @param args see {@link LoadOptions#USAGE}.
     */
    public static void main(final String[] args)
    {
        for (final String arg : args)
        {
            if ("-h".equals(arg) || "--help".equals(arg))
            {
                System.out.println(LoadOptions.USAGE);
                return;
            }
        }
        final LoadOptions options;
        try
        {
            options = LoadOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("RelayLoad: " + ex.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try (RelayLoad load = new RelayLoad(options))
        {
            if (options.drainCycles > 0)
            {
                System.out.println(new DrainCycles(load, options).run());
                return;
            }
            final LoadResult result = load.run();
            System.out.println(options.json ? result.toJson() : result.toLine());
        }
        catch (final IOException | UncheckedIOException | IllegalStateException ex)
        {
            System.err.println("RelayLoad: " + ex.getMessage());
            System.exit(1);
        }
    }

    /**
     * Handshake, load, drain, and the figures.
     *
     * @return the result.
     * @throws IOException on a socket failure other than a lost datagram.
     * @throws IllegalStateException when the handshake fails.
     */
    LoadResult run() throws IOException
    {
        handshake();
        prepareDataTemplates();
        openGsoSenders();

        final long rateNs = options.rate;
        final double intervalNs = rateNs > 0 ? 1e9 / rateNs : 0;
        final long startNs = System.nanoTime();
        windowStartNs = startNs + (long)(options.warmupS * 1e9);
        final long endNs = windowStartNs + (long)(options.durationS * 1e9);
        // The /proc snapshots take a few milliseconds (more while their code is still interpreted): a stall of the
        // sending loop, which in a paced run would delay datagrams of the window and show as latency. So they are
        // taken once at the start (class loading, warm-up of that code) and then SNAPSHOT_LEAD_NS before the
        // window opens, where the stall only delays warm-up datagrams; CPU figures are scaled by their own
        // interval. Those at the end are taken after the last send; the process census (the slowest) after the
        // drain.
        final java.util.Set<Long> mine =
            new java.util.HashSet<>(java.util.List.of(ProcessHandle.current().pid(), (long)options.cpuPid));
        Snapshot first = Snapshot.take(options.cpuPid, mine, true);
        final long snapshotAtNs = windowStartNs - Math.min(SNAPSHOT_LEAD_NS, (windowStartNs - startNs) / 2);
        Snapshot before = null;
        long attempts = 0;
        int current = 0;
        while (true)
        {
            final long now = System.nanoTime();
            if (now >= endNs)
            {
                break;
            }
            if (null == before && now >= snapshotAtNs)
            {
                before = Snapshot.take(options.cpuPid, mine, true);
            }
            final int burst;
            if (rateNs == 0)
            {
                burst = BURST;
            }
            else
            {
                final long due = (long)((now - startNs) / intervalNs) + 1 - attempts;
                burst = (int)Math.min(due, BURST);
            }
            if (burst > 0)
            {
                final Leg leg = aLegs[current];
                if (null != leg.gso)
                {
                    for (int i = 0; i < burst; i += options.gso)
                    {
                        sendGso(leg, now);
                    }
                }
                else
                {
                    for (int i = 0; i < burst; i++)
                    {
                        final long timestamp = rateNs == 0 ? now : startNs + (long)(attempts * intervalNs);
                        send(leg, timestamp);
                        attempts++;
                    }
                }
                if (++current == aLegs.length)
                {
                    current = 0;
                }
            }
            selector.selectNow(onLoadReadable);
        }
        final long stopNs = System.nanoTime();
        if (null == before)
        {
            before = first;
        }
        final Snapshot after = Snapshot.take(options.cpuPid, mine, false);
        drain();
        final java.util.Map<Long, Double> othersAfter = ProcStats.otherProcessesCpu(mine);
        final long censusEndNs = System.nanoTime();
        final long[] udp1 = ProcStats.udpCounters();
        final double cpuWindowS = (after.atNs - before.atNs) / 1e9;

        final LoadResult r = new LoadResult();
        r.label = options.label;
        r.target = options.target.name().toLowerCase(Locale.ROOT);
        r.sessions = options.sessions;
        r.size = options.size;
        r.rate = options.rate;
        r.echo = options.echo;
        r.gso = options.gso;
        r.windowS = (stopNs - windowStartNs) / 1e9;
        r.tx = txWindow;
        r.rx = rxBWindow;
        r.echoRx = echoRxWindow;
        r.txErrors = txErrors;
        r.echoErrors = echoErrors;
        r.reordered = reordered;
        r.unexpected = unexpected;
        r.receiveErrors = receiveErrors;
        r.oneWay = oneWay;
        r.roundTrip = roundTrip;
        // CPU over the snapshots' interval, scaled to the datagram window (they differ by SNAPSHOT_LEAD_NS).
        final double scale = r.windowS / cpuWindowS;
        r.relayCpuS = (after.relayCpuS - before.relayCpuS) * scale;
        r.relaySchedS = (after.relaySchedS - before.relaySchedS) * scale;
        r.ownCpuS = (after.ownCpuNs - before.ownCpuNs) / 1e9 * scale;
        r.udpRcvbufErrors = udp1[4] - before.udp[4];
        r.udpInErrors = udp1[2] - before.udp[2];
        r.relayPid = options.cpuPid;
        r.othersCpuS = ProcStats.otherProcessesCpuDelta(before.others, othersAfter) * r.windowS /
            ((censusEndNs - before.atNs) / 1e9);
        r.cpuBusyPct = new double[Math.min(before.cpus.length, after.cpus.length)];
        for (int c = 0; c < r.cpuBusyPct.length; c++)
        {
            final long total = after.cpus[c][1] - before.cpus[c][1];
            r.cpuBusyPct[c] = total <= 0 ? Double.NaN : 100.0 * (after.cpus[c][0] - before.cpus[c][0]) / total;
        }
        return r;
    }

    /** What /proc says at one moment: the relay's CPU, this process's, the CPUs', the UDP counters'. */
    private static final class Snapshot
    {
        long atNs;
        double relayCpuS;
        double relaySchedS;
        long ownCpuNs;
        long[][] cpus;
        long[] udp;
        java.util.Map<Long, Double> others;

        static Snapshot take(final int relayPid, final java.util.Set<Long> mine, final boolean census)
        {
            final Snapshot s = new Snapshot();
            s.others = census ? ProcStats.otherProcessesCpu(mine) : null;
            s.udp = ProcStats.udpCounters();
            s.relayCpuS = ProcStats.cpuSeconds(relayPid);
            s.relaySchedS = ProcStats.scheduledSeconds(relayPid);
            s.ownCpuNs = ownCpuNs();
            s.cpus = ProcStats.cpuTicks();
            s.atNs = System.nanoTime();
            return s;
        }
    }

    private void send(final Leg leg, final long timestamp)
    {
        final UnsafeBuffer view = leg.transmitView;
        view.putLong(SEQ_OFFSET, leg.sequence++);
        view.putLong(TIMESTAMP_OFFSET, timestamp);
        final ByteBuffer datagram = leg.transmit;
        datagram.clear();
        int written;
        try
        {
            written = leg.channel.write(datagram);
        }
        catch (final IOException ex)
        {
            // ECONNREFUSED from an earlier ICMP error (nobody on the port), ENOBUFS: lost at the sender.
            written = -1;
        }
        if (written == options.size)
        {
            if (timestamp >= windowStartNs)
            {
                txWindow++;
            }
        }
        else
        {
            txErrors++;
        }
    }

    /**
     * For {@link DrainCycles}: handshake, data templates, GSO senders; every datagram counts from now on.
     */
    void prepare() throws IOException
    {
        handshake();
        prepareDataTemplates();
        openGsoSenders();
        windowStartNs = 0;
    }

    /**
     * For {@link DrainCycles}: one send from A leg {@code pair} (one datagram, or one GSO burst).
     *
     * @return the datagrams it carried.
     */
    int sendFrom(final int pair)
    {
        final Leg leg = aLegs[pair];
        if (null != leg.gso)
        {
            sendGso(leg, System.nanoTime());
            return options.gso;
        }
        send(leg, System.nanoTime());
        return 1;
    }

    /**
     * For {@link DrainCycles}: reads what the B legs have now.
     *
     * @return the datagrams received at B so far, in all.
     */
    long pollB() throws IOException
    {
        selector.selectNow(onLoadReadable);
        return rxB;
    }

    /**
     * {@code --gso K}: K datagrams, each with its own sequence number, from one send with {@code UDP_SEGMENT}.
     */
    private void sendGso(final Leg leg, final long timestamp)
    {
        final UnsafeBuffer view = leg.transmitView;
        final int size = options.size;
        final int segments = options.gso;
        for (int k = 0, offset = 0; k < segments; k++, offset += size)
        {
            view.putLong(offset + SEQ_OFFSET, leg.sequence++);
            view.putLong(offset + TIMESTAMP_OFFSET, timestamp);
        }
        boolean sent;
        try
        {
            sent = leg.gso.send(view.addressOffset(), size, segments);
        }
        catch (final IOException ex)
        {
            sent = false;
        }
        if (!sent)
        {
            txErrors += segments;
        }
        else if (timestamp >= windowStartNs)
        {
            txWindow += segments;
        }
    }

    /**
     * {@code --gso K}: each A leg gets a send-only native socket on its own port (the relay sees one source).
     */
    private void openGsoSenders() throws IOException
    {
        if (options.gso <= 1)
        {
            return;
        }
        if (!SegmentedSender.isAvailable())
        {
            throw new IllegalStateException("--gso: no UDP_SEGMENT here (needs Linux, epoll and a 4.18+ kernel)");
        }
        for (final Leg leg : aLegs)
        {
            leg.channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            leg.gso = SegmentedSender.open((InetSocketAddress)leg.channel.getLocalAddress(),
                (InetSocketAddress)leg.channel.getRemoteAddress());
            leg.gso.sendBufferBytes(SOCKET_BUFFER_BYTES);
        }
        gsoReceive = new io.netty.channel.epoll.NativeDatagramBatch(GSO_RECEIVE_BATCH);
        gsoReceiveRing = new UnsafeBuffer(
            org.agrona.BufferUtil.allocateDirectAligned(GSO_RECEIVE_BATCH * RECEIVE_BUFFER_BYTES, 4096));
        for (int i = 0; i < GSO_RECEIVE_BATCH; i++)
        {
            gsoReceive.set(i, gsoReceiveRing.addressOffset() + (long)i * RECEIVE_BUFFER_BYTES, RECEIVE_BUFFER_BYTES,
                0);
        }
        for (final Leg leg : bLegs)
        {
            leg.fd = fdOf(leg.channel);
            io.netty.channel.epoll.NativeDatagramBatch.enableGro(leg.fd);
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
            final java.lang.reflect.Field field = channel.getClass().getDeclaredField("fdVal");
            field.setAccessible(true);
            return field.getInt(channel);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("--gso reads the B legs natively and needs the JVM flag " +
                "--add-opens java.base/sun.nio.ch=ALL-UNNAMED: " + ex);
        }
    }

    private void onLoadReadable(final SelectionKey key)
    {
        final Leg leg = (Leg)key.attachment();
        if (null != gsoReceive && leg.sideB)
        {
            onBatchReadable(leg);
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
                receiveErrors++;
                continue;
            }
            if (length <= 0)
            {
                return;
            }
            onLoadDatagram(leg, view, length, System.nanoTime());
        }
    }

    /**
     * {@code --gso K}, a B leg: {@code recvmmsg} batches with {@code UDP_GRO} on, so that a relay forwarding with
     * GSO is not held back by one receive per datagram here; a coalesced datagram is cut at its segment size.
     */
    private void onBatchReadable(final Leg leg)
    {
        final io.netty.channel.epoll.NativeDatagramBatch batch = gsoReceive;
        final UnsafeBuffer view = gsoReceiveView;
        for (int round = 0; round < GSO_RECEIVE_ROUNDS; round++)
        {
            final int received;
            try
            {
                received = batch.receive(leg.fd, batch.capacity());
            }
            catch (final IOException ex)
            {
                receiveErrors++;
                continue;
            }
            final long now = System.nanoTime();
            for (int i = 0; i < received; i++)
            {
                final long slot = gsoReceiveRing.addressOffset() + (long)i * RECEIVE_BUFFER_BYTES;
                final int length = batch.receivedLength(i);
                final int segment = batch.segmentSize(i) > 0 ? batch.segmentSize(i) : length;
                for (int offset = 0; offset < length; offset += segment)
                {
                    final int segmentLength = Math.min(segment, length - offset);
                    view.wrap(slot + offset, segmentLength);
                    onLoadDatagram(leg, view, segmentLength, now);
                }
            }
            if (received < batch.capacity())
            {
                return;
            }
        }
    }

    private void onLoadDatagram(final Leg leg, final UnsafeBuffer view, final int length, final long now)
    {
        lastReceiveNs = now;
        if (length < HEADER_LENGTH || view.getInt(MAGIC_OFFSET) != MAGIC)
        {
            unexpected++;
            return;
        }
        final int type = view.getByte(TYPE_OFFSET);
        final long timestamp = view.getLong(TIMESTAMP_OFFSET);
        if (leg.sideB)
        {
            if (type != T_DATA)
            {
                unexpected += type == T_REG ? 0 : 1;
                return;
            }
            rxB++;
            final long sequence = view.getLong(SEQ_OFFSET);
            if (sequence < leg.lastSequence)
            {
                reordered++;
            }
            leg.lastSequence = sequence;
            if (timestamp >= windowStartNs)
            {
                rxBWindow++;
                record(oneWay, now - timestamp);
            }
            if (options.echo)
            {
                view.putByte(TYPE_OFFSET, (byte)T_ECHO);
                receive.flip();
                echo(leg);
            }
        }
        else
        {
            if (type != T_ECHO)
            {
                unexpected += type == T_REG ? 0 : 1;
                return;
            }
            if (timestamp >= windowStartNs)
            {
                echoRxWindow++;
                record(roundTrip, now - timestamp);
            }
        }
    }

    private void echo(final Leg leg)
    {
        try
        {
            if (leg.channel.write(receive) > 0)
            {
                echoSent++;
                return;
            }
        }
        catch (final IOException ex)
        {
            // Lost at the sender, counted below.
        }
        echoErrors++;
    }

    private static void record(final Histogram histogram, final long ns)
    {
        histogram.recordValue(Math.max(0, Math.min(ns, HIGHEST_TRACKABLE_NS)));
    }

    private void drain() throws IOException
    {
        final long start = System.nanoTime();
        lastReceiveNs = start;
        while (true)
        {
            final long now = System.nanoTime();
            if (now - start >= DRAIN_NS || now - lastReceiveNs >= DRAIN_QUIET_NS)
            {
                return;
            }
            selector.select(onLoadReadable, 1);
        }
    }

    private static long ownCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    // ------------------------------------------------------------------------------------------------ handshake

    private void handshake() throws IOException
    {
        if (options.target == LoadOptions.Target.DIRECT)
        {
            for (int i = 0; i < aLegs.length; i++)
            {
                aLegs[i].ready = true;
                bLegs[i].ready = true;
            }
            return;
        }
        final boolean introducer = options.target == LoadOptions.Target.INTRODUCER;
        for (int i = 0; i < aLegs.length; i++)
        {
            aLegs[i].handshake = introducer ? bindFrame(i, false) : registration(i);
            bLegs[i].handshake = introducer ? bindFrame(i, true) : registration(i);
        }
        final long resendNs = introducer ? BIND_RESEND_NS : REGISTER_RESEND_NS;
        final long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT_NS;
        long nextSend = 0;
        while (null == handshakeFailure)
        {
            final long now = System.nanoTime();
            int ready = 0;
            for (int i = 0; i < aLegs.length; i++)
            {
                ready += aLegs[i].ready && bLegs[i].ready ? 1 : 0;
            }
            if (ready == aLegs.length)
            {
                break;
            }
            if (now >= deadline)
            {
                handshakeFailure = "handshake failed: " + ready + " of " + aLegs.length + " sessions ready after " +
                    TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT_NS) + " s (is the relay running on " +
                    options.relay.getAddress().getHostAddress() + ":" + options.relay.getPort() +
                    (introducer ? ", with this secret and public endpoint " + options.relayPublic : "") + "?)";
                break;
            }
            if (now >= nextSend)
            {
                for (int i = 0; i < aLegs.length; i++)
                {
                    // relayfwd: both legs repeat until each has heard the other. Ours: a leg is done when the
                    // relay says both legs are bound; a bound leg's repeat is answered, not counted twice.
                    if (!aLegs[i].ready || !bLegs[i].ready)
                    {
                        sendHandshake(aLegs[i], introducer);
                        sendHandshake(bLegs[i], introducer);
                    }
                }
                nextSend = now + resendNs;
            }
            selector.select(onHandshakeReadable, 1);
        }
        if (null != handshakeFailure)
        {
            throw new IllegalStateException(handshakeFailure);
        }
        if (introducer)
        {
            for (int i = 0; i < aLegs.length; i++)
            {
                if (aLegs[i].channelId != bLegs[i].channelId)
                {
                    throw new IllegalStateException("session " + i + ": legs were given different channels " +
                        aLegs[i].channelId + " and " + bLegs[i].channelId);
                }
            }
        }
        // Settle: swallow answers to repeated handshakes still in flight.
        final long until = System.nanoTime() + SETTLE_NS;
        while (System.nanoTime() < until)
        {
            selector.select(onHandshakeReadable, 1);
        }
    }

    private void sendHandshake(final Leg leg, final boolean introducer) throws IOException
    {
        if (introducer && leg.ready)
        {
            return;
        }
        leg.handshake.clear();
        try
        {
            leg.channel.write(leg.handshake);
        }
        catch (final java.net.PortUnreachableException ex)
        {
            // Nobody on the port (yet): retried until the deadline.
        }
    }

    private ByteBuffer bindFrame(final int pair, final boolean sideB)
    {
        final ByteBuffer frame = ByteBuffer.allocateDirect(RelayBindFlyweight.LENGTH);
        final RelayBindFlyweight bind = new RelayBindFlyweight();
        final Id32 a = Id32.sha256("relayload-" + Long.toHexString(sessionIds[pair]) + "-a");
        final Id32 b = Id32.sha256("relayload-" + Long.toHexString(sessionIds[pair]) + "-b");
        bind.wrapForBind(new UnsafeBuffer(frame), 0).sessionId(sessionIds[pair])
            .expiry(System.currentTimeMillis() + TOKEN_LIFETIME_MS)
            .senderId(sideB ? b : a).otherPeerId(sideB ? a : b).relayEndpoint(options.relayPublic);
        new RelayToken(options.secret).sign(bind);
        return frame;
    }

    private ByteBuffer registration(final int pair)
    {
        final ByteBuffer frame = ByteBuffer.allocateDirect(HEADER_LENGTH);
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putLong(0, sessionIds[pair], ByteOrder.BIG_ENDIAN);
        view.putInt(MAGIC_OFFSET, MAGIC);
        view.putByte(TYPE_OFFSET, (byte)T_REG);
        view.putShort(PAIR_OFFSET, (short)pair);
        return frame;
    }

    private void onHandshakeReadable(final SelectionKey key)
    {
        final Leg leg = (Leg)key.attachment();
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
                // ECONNREFUSED: the relay is not (yet) there; the handshake repeats until its deadline.
                continue;
            }
            if (length <= 0)
            {
                return;
            }
            if (options.target == LoadOptions.Target.INTRODUCER)
            {
                onBindAck(leg, view, length);
            }
            else if (length >= HEADER_LENGTH && view.getInt(MAGIC_OFFSET) == MAGIC &&
                view.getByte(TYPE_OFFSET) == T_REG)
            {
                // This leg heard its peer's registration through the relay.
                leg.ready = true;
            }
        }
    }

    private void onBindAck(final Leg leg, final UnsafeBuffer view, final int length)
    {
        if (length < RelayBindAckFlyweight.LENGTH || !FrameHeader.hasMagic(view, 0) ||
            FrameHeader.type(view, 0) != MessageType.RELAY_BIND_ACK)
        {
            return;
        }
        final RelayBindAckFlyweight ack = new RelayBindAckFlyweight();
        ack.wrap(view, 0, length);
        if (ack.sessionId() != sessionIds[leg.pair])
        {
            return;
        }
        if (ack.status() != ErrorCode.OK)
        {
            handshakeFailure = "the relay refused the bind of session " + leg.pair + ": " +
                ErrorCode.name(ack.status());
            return;
        }
        if (ack.legs() == 2)
        {
            leg.ready = true;
            leg.channelId = ack.channelId();
        }
    }

    /**
     * Writes each A leg's datagram template: relay prefix, magic, type, pair index; the rest stays zero.
     */
    private void prepareDataTemplates()
    {
        for (int i = 0; i < aLegs.length; i++)
        {
            final UnsafeBuffer view = aLegs[i].transmitView;
            view.setMemory(0, options.size, (byte)0);
            if (options.target == LoadOptions.Target.INTRODUCER)
            {
                new RelayDataFlyweight().wrapForRelayData(view, 0, options.size - RelayDataFlyweight.PAYLOAD_OFFSET)
                    .channelId(aLegs[i].channelId);
            }
            else
            {
                view.putLong(0, sessionIds[i], ByteOrder.BIG_ENDIAN);
            }
            view.putInt(MAGIC_OFFSET, MAGIC);
            view.putByte(TYPE_OFFSET, (byte)T_DATA);
            view.putShort(PAIR_OFFSET, (short)i);
            for (int k = 1; k < options.gso; k++)
            {
                view.putBytes(k * options.size, view, 0, options.size);
            }
        }
    }

    /**
     * Closes every socket.
     */
    public void close()
    {
        for (final Leg[] legs : new Leg[][] {aLegs, bLegs})
        {
            for (final Leg leg : legs)
            {
                if (null != leg)
                {
                    if (null != leg.gso)
                    {
                        leg.gso.close();
                    }
                    try
                    {
                        leg.channel.close();
                    }
                    catch (final IOException ignore)
                    {
                        // Closing a UDP socket does not fail in a way we could act on.
                    }
                }
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // As above.
        }
    }
}
