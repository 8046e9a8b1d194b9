package dev.introducer.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.transport.SegmentedSender;
import dev.introducer.protocol.RelayDataFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * A load generator and latency probe for UDP relays on loopback, in the style of the reference C
 * {@code relayload} (the reference bench directory, {@code $SHARED} of {@code bench/relay-bench.sh}), so that our
 * relay and the reference C forwarder can be driven by the same Java code, side by side.
 * <p>
 * It opens P pairs of connected NIO {@link DatagramChannel}s (leg A, leg B), one pair per relay session, and
 * drives all of them from <em>one</em> thread, a busy loop, so that it can be pinned to one CPU:
 * <ol>
 *     <li>Handshake ({@link Handshake}). {@code introducer}: each leg sends a 140-byte RELAY_BIND signed with
 *     {@link RelayToken} over the fleet secret until the relay's RELAY_BIND_ACK says both legs are bound, and
 *     carries the channel id. {@code relayfwd}: both legs repeat a registration datagram until each has heard the
 *     other through the relay (the first two senders of a session id become its legs).</li>
 *     <li>Load. For warm-up + duration seconds the A legs send, round robin in bursts of up to 16 from one leg,
 *     either paced at {@code --rate} datagrams/s in total or as fast as the thread can ({@code --max}). Between
 *     sends it polls a {@link Selector} ({@code selectNow}, no blocking) and drains the ready legs
 *     ({@link LegReceiver}). B records the one-way time; with {@code --echo} B sends each datagram back through
 *     the relay and A records the round trip ({@link LoadMeter}).</li>
 *     <li>Drain: datagrams in flight at the end are collected for up to 0.5 s.</li>
 * </ol>
 * The datagrams are laid out as {@link ProbeLayout} says.
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
    private static final int BURST = 16;
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long DRAIN_QUIET_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SNAPSHOT_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LoadOptions options;
    private final Leg[] aLegs;
    private final Leg[] bLegs;
    private final long[] sessionIds;
    private final Selector selector;
    private final LegReceiver receiver = new LegReceiver();
    private final LoadMeter meter;
    private final Consumer<SelectionKey> onLoadReadable;

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
        this.meter = new LoadMeter(options.echo, receiver);
        this.onLoadReadable = receiver.reader(meter);
        this.selector = Selector.open();
        final long base = new SplittableRandom().nextLong() & 0x7FFF_FFFF_0000_0000L | 1L << 32;
        try
        {
            for (int i = 0; i < options.sessions; i++)
            {
                sessionIds[i] = base + i;
                aLegs[i] = Leg.open(i, false, options.size, options.gso);
                bLegs[i] = Leg.open(i, true, options.size, 1);
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
        prepareSessions();

        final long rateNs = options.rate;
        final double intervalNs = rateNs > 0 ? 1e9 / rateNs : 0;
        final long startNs = System.nanoTime();
        final long windowStartNs = startNs + (long)(options.warmupS * 1e9);
        meter.windowStartNs = windowStartNs;
        final long endNs = windowStartNs + (long)(options.durationS * 1e9);
        // The /proc snapshots take a few milliseconds (more while their code is still interpreted): a stall of the
        // sending loop, which in a paced run would delay datagrams of the window and show as latency. So they are
        // taken once at the start (class loading, warm-up of that code) and then SNAPSHOT_LEAD_NS before the
        // window opens, where the stall only delays warm-up datagrams; CPU figures are scaled by their own
        // interval. Those at the end are taken after the last send; the process census (the slowest) after the
        // drain.
        final Set<Long> mine = new HashSet<>(List.of(ProcessHandle.current().pid(), (long)options.cpuPid));
        final Snapshot first = Snapshot.take(options.cpuPid, mine, true);
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
        final Map<Long, Double> othersAfter = ProcStats.otherProcessesCpu(mine);
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
        meter.fill(r);
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

    /**
     * For {@link DrainCycles}: handshake, data templates, GSO senders; every datagram counts from now on.
     */
    void prepare() throws IOException
    {
        prepareSessions();
        meter.windowStartNs = 0;
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
        return meter.rxB;
    }

    private void prepareSessions() throws IOException
    {
        new Handshake(options, aLegs, bLegs, sessionIds, selector, receiver).run();
        prepareDataTemplates();
        openGsoSenders();
    }

    private void send(final Leg leg, final long timestamp)
    {
        final UnsafeBuffer view = leg.transmitView;
        view.putLong(ProbeLayout.SEQ_OFFSET, leg.sequence++);
        view.putLong(ProbeLayout.TIMESTAMP_OFFSET, timestamp);
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
        meter.onSend(timestamp, 1, written == options.size);
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
            view.putLong(offset + ProbeLayout.SEQ_OFFSET, leg.sequence++);
            view.putLong(offset + ProbeLayout.TIMESTAMP_OFFSET, timestamp);
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
        meter.onSend(timestamp, segments, sent);
    }

    /**
     * {@code --gso K}: each A leg gets a send-only native socket on its own port (the relay sees one source), and
     * the B legs are read in batches.
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
            leg.gso.sendBufferBytes(Leg.SOCKET_BUFFER_BYTES);
        }
        receiver.readInBatches(bLegs);
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
            ProbeLayout.putHeader(view, 0, ProbeLayout.T_DATA, i);
            for (int k = 1; k < options.gso; k++)
            {
                view.putBytes(k * options.size, view, 0, options.size);
            }
        }
    }

    private void drain() throws IOException
    {
        final long start = System.nanoTime();
        meter.lastReceiveNs = start;
        while (true)
        {
            final long now = System.nanoTime();
            if (now - start >= DRAIN_NS || now - meter.lastReceiveNs >= DRAIN_QUIET_NS)
            {
                return;
            }
            selector.select(onLoadReadable, 1);
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
                    leg.close();
                }
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // Closing a selector does not fail in a way we could act on.
        }
    }
}
