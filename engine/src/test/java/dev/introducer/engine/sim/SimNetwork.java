package dev.introducer.engine.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * A deterministic, seeded discrete-event internet with NATs: a Java port of the semantics of socketsupply's
 * netsim. Public hosts and NATs live at its addresses; hosts behind a NAT live in the {@link SimNat}'s
 * private address space.
 * <p>
 * One {@link SplittableRandom}, seeded at construction, draws every latency, loss and NAT port, and is split
 * into a generator per host for the applications, so the same seed and set-up give the same run. Time is in
 * nanoseconds and only moves when the network is run. Nothing here is thread-safe: one thread drives a
 * network.
 * <p>
 * Each datagram crosses one hop, with a latency drawn uniformly from {@link #latency(long, long)} (0 to 1 ms
 * by default, as netsim), so datagrams in flight reorder: from a host to the internet and on to the
 * destination, or between two hosts behind the same NAT. A NAT adds no latency of its own.
 */
public final class SimNetwork extends SimSubnet
{
    /** Default lower bound of the per-hop latency. */
    public static final long DEFAULT_MIN_LATENCY_NS = 0;
    /** Default upper bound of the per-hop latency: netsim's uniform 0..1 ms. */
    public static final long DEFAULT_MAX_LATENCY_NS = 1_000_000;
    /** How many events may run at one instant before a run is declared a livelock. */
    public static final long MAX_EVENTS_AT_ONE_INSTANT = 10_000_000;

    private final long seed;
    private final SplittableRandom random;
    private final SimEventQueue queue = new SimEventQueue();
    private final SimCounters counters = new SimCounters();
    private final Map<Integer, SimNat> nats = new HashMap<>();
    private final List<SimSendListener> sendListeners = new ArrayList<>();
    private final Endpoint listenerSource = new Endpoint();
    private final UnsafeBuffer listenerBuffer = new UnsafeBuffer(new byte[0]);
    private long nowNs;
    private long minLatencyNs = DEFAULT_MIN_LATENCY_NS;
    private long maxLatencyNs = DEFAULT_MAX_LATENCY_NS;
    private double lossRate;

    /**
     * A network whose clock starts at zero.
     *
     * @param seed for every random choice made in it.
     */
    public SimNetwork(final long seed)
    {
        this(seed, 0);
    }

    /**
     * A network whose clock starts at a given time.
     *
     * @param seed    for every random choice made in it.
     * @param startNs the initial time.
     */
    public SimNetwork(final long seed, final long startNs)
    {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.nowNs = startNs;
    }

    /**
     * Parses a dotted IPv4 address, for setting up tests.
     *
     * @param dotted such as {@code "198.18.0.1"}.
     * @return the address as a big-endian int.
     * @throws IllegalArgumentException when it is not a dotted IPv4 address.
     */
    public static int ipv4(final String dotted)
    {
        final Endpoint endpoint = Endpoint.parse(dotted + ":0");
        if (endpoint.family() != Endpoint.FAMILY_IPV4)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        return endpoint.ipv4();
    }

    /**
     * Formats an IPv4 address.
     *
     * @param ipv4 big-endian.
     * @return the dotted form.
     */
    public static String ipv4ToString(final int ipv4)
    {
        return ((ipv4 >>> 24) & 0xFF) + "." + ((ipv4 >>> 16) & 0xFF) + "." + ((ipv4 >>> 8) & 0xFF) + "." +
            (ipv4 & 0xFF);
    }

    /**
     * {@inheritDoc}
     */
    public SimNetwork network()
    {
        return this;
    }

    /**
     * The seed this network was created with, for failure messages.
     *
     * @return the seed.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * The network's generator. Drawing from it in a test changes the rest of the run, reproducibly.
     *
     * @return the generator.
     */
    public SplittableRandom random()
    {
        return random;
    }

    /**
     * The simulated time.
     *
     * @return nanoseconds.
     */
    public long now()
    {
        return nowNs;
    }

    /**
     * The datagram counters.
     *
     * @return the live counters.
     */
    public SimCounters counters()
    {
        return counters;
    }

    /**
     * Sets the per-hop latency range.
     *
     * @param minNs lower bound, at least 0.
     * @param maxNs upper bound, at least minNs.
     * @return this.
     */
    public SimNetwork latency(final long minNs, final long maxNs)
    {
        if (minNs < 0 || maxNs < minNs)
        {
            throw new IllegalArgumentException("latency range must be 0 <= min <= max: " + minNs + ".." + maxNs);
        }
        this.minLatencyNs = minNs;
        this.maxLatencyNs = maxNs;
        return this;
    }

    /**
     * Sets the probability that the internet loses a datagram (netsim's {@code dropProb}).
     *
     * @param probability 0 to 1.
     * @return this.
     */
    public SimNetwork lossRate(final double probability)
    {
        this.lossRate = checkProbability(probability);
        return this;
    }

    /**
     * Adds a NAT at a public address. Add hosts behind it with {@link SimNat#addHost(int)}.
     *
     * @param publicIpv4 its public address, big-endian; must be free on the internet.
     * @param type       its behaviour.
     * @return the NAT.
     * @throws IllegalArgumentException when the address is taken.
     */
    public SimNat addNat(final int publicIpv4, final SimNatType type)
    {
        if (isAddressTaken(publicIpv4))
        {
            throw new IllegalArgumentException("address " + ipv4ToString(publicIpv4) + " is taken");
        }
        final SimNat nat = new SimNat(this, publicIpv4, type);
        nats.put(publicIpv4, nat);
        return nat;
    }

    /**
     * The NAT at a public address.
     *
     * @param publicIpv4 the address.
     * @return the NAT, or null.
     */
    public SimNat nat(final int publicIpv4)
    {
        return nats.get(publicIpv4);
    }

    /**
     * Adds a listener called for every datagram crossing the internet.
     *
     * @param listener to add.
     */
    public void onSend(final SimSendListener listener)
    {
        sendListeners.add(listener);
    }

    /**
     * Runs an action at a time (now if that has passed). Equal-time actions run in the order scheduled.
     *
     * @param atNs   when.
     * @param action what; it may schedule more.
     */
    public void schedule(final long atNs, final Runnable action)
    {
        queue.add(Math.max(atNs, nowNs), action);
    }

    /**
     * Runs an action after a delay.
     *
     * @param delayNs how long from now, at least 0.
     * @param action  what.
     */
    public void scheduleAfter(final long delayNs, final Runnable action)
    {
        schedule(nowNs + Math.max(0, delayNs), action);
    }

    /**
     * Runs every event due at or before a time, then sets the clock to that time.
     *
     * @param timeNs the end time (inclusive).
     */
    public void runUntil(final long timeNs)
    {
        runUntil(() -> false, timeNs);
    }

    /**
     * Runs for a duration.
     *
     * @param durationNs how long, at least 0.
     */
    public void runFor(final long durationNs)
    {
        runUntil(nowNs + Math.max(0, durationNs));
    }

    /**
     * Runs until a condition holds (checked before the first and after every event) or a time limit is reached.
     * The clock stops at the event that made the condition true, or at the limit.
     *
     * @param condition   to wait for.
     * @param timeLimitNs the latest time to run to.
     * @return whether the condition became true.
     */
    public boolean runUntil(final BooleanSupplier condition, final long timeLimitNs)
    {
        long eventsAtThisInstant = 0;
        long instant = nowNs;
        while (!condition.getAsBoolean())
        {
            if (queue.isEmpty() || queue.nextTimeNs() > timeLimitNs)
            {
                nowNs = Math.max(nowNs, timeLimitNs);
                return condition.getAsBoolean();
            }
            final SimEventQueue.Event event = queue.poll();
            nowNs = event.timeNs;
            if (nowNs != instant)
            {
                instant = nowNs;
                eventsAtThisInstant = 0;
            }
            else if (++eventsAtThisInstant > MAX_EVENTS_AT_ONE_INSTANT)
            {
                // Only an application that keeps asking to run "now" gets here: a bug to report, not to hang on.
                throw new IllegalStateException("livelock: over " + MAX_EVENTS_AT_ONE_INSTANT + " events at " +
                    nowNs + " ns (seed " + seed + ")");
            }
            event.action.run();
        }
        return true;
    }

    /**
     * Runs until nothing is left to do (netsim's {@code iterate(-1)}) or a time limit is reached. Hosts with
     * periodic timers never go idle, hence the limit.
     *
     * @param timeLimitNs the latest time to run to.
     * @return whether the network went idle.
     */
    public boolean runUntilIdle(final long timeLimitNs)
    {
        return runUntil(queue::isEmpty, timeLimitNs);
    }

    /**
     * Events waiting to run, for diagnostics.
     *
     * @return the count.
     */
    public int pendingEvents()
    {
        return queue.size();
    }

    boolean isAddressTaken(final int ipv4)
    {
        return super.isAddressTaken(ipv4) || nats.containsKey(ipv4);
    }

    void route(final SimHost from, final int fromPort, final Endpoint destination, final byte[] datagram)
    {
        sendOnInternet(from.ipv4(), fromPort, destination, datagram);
    }

    /**
     * The internet hop: loss, the send hook, latency, then routing by the destination address as it stands on
     * arrival (so a host that moved in the meantime no longer gets it).
     */
    void sendOnInternet(final int sourceIpv4, final int sourcePort, final Endpoint destination, final byte[] datagram)
    {
        if (isLost(lossRate))
        {
            counters.onDropped(SimDropReason.LOSS);
            return;
        }
        if (!sendListeners.isEmpty())
        {
            listenerSource.setIpv4(sourceIpv4, sourcePort);
            listenerBuffer.wrap(datagram);
            for (final SimSendListener listener : sendListeners)
            {
                listener.onSend(nowNs, listenerSource, destination, listenerBuffer, 0, datagram.length);
            }
        }
        final int destinationIpv4 = destination.ipv4();
        final int destinationPort = destination.port();
        scheduleAfter(
            hopLatencyNs(),
            () -> arriveFromInternet(sourceIpv4, sourcePort, destinationIpv4, destinationPort, datagram));
    }

    private void arriveFromInternet(
        final int sourceIpv4, final int sourcePort, final int destinationIpv4, final int destinationPort,
        final byte[] datagram)
    {
        final SimHost host = host(destinationIpv4);
        if (null != host)
        {
            host.receive(destinationPort, sourceIpv4, sourcePort, datagram);
            return;
        }
        final SimNat nat = nats.get(destinationIpv4);
        if (null != nat)
        {
            nat.receiveFromInternet(destinationPort, sourceIpv4, sourcePort, datagram);
            return;
        }
        counters.onDropped(SimDropReason.NO_ROUTE);
    }

    long hopLatencyNs()
    {
        return minLatencyNs == maxLatencyNs ?
            minLatencyNs : minLatencyNs + random.nextLong(maxLatencyNs - minLatencyNs + 1);
    }

    boolean isLost(final double probability)
    {
        // No draw at probability 0, so switching loss off does not disturb the rest of a seeded run.
        return probability > 0 && random.nextDouble() < probability;
    }

    static double checkProbability(final double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
        }
        return probability;
    }
}
