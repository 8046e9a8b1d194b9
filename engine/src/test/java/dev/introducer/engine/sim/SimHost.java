package dev.introducer.engine.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * A simulated machine: one IPv4 address in a {@link SimSubnet} (the internet, or behind a {@link SimNat}), a set
 * of UDP sockets, and at most one {@link SimApplication}. It is the application's {@link SimSocketContext}, and
 * tests may also send from it directly, as netsim tests call {@code node.send}.
 * <p>
 * Socket {@link #MAIN_SOCKET} is bound to the main port ({@value #DEFAULT_MAIN_PORT} by default);
 * {@link #openSocket()} binds a random free port and returns the lowest free id from 1, so ids stay small. A
 * sleeping host sends and receives nothing; a timer due while it sleeps runs once when it wakes.
 */
public final class SimHost implements SimSocketContext
{
    /** The main socket's port unless set otherwise: the introducer default. */
    public static final int DEFAULT_MAIN_PORT = 3456;
    /** How many sockets {@link #openSocket()} may hold open at once unless set otherwise. */
    public static final int DEFAULT_SOCKET_BUDGET = 4096;

    private static final int MIN_EPHEMERAL_PORT = 1024;
    private static final int MAX_PORT = 65535;
    private static final int CLOSED = 0;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final SimNetwork network;
    private final SplittableRandom random;
    private final Int2IntHashMap socketByPort = new Int2IntHashMap(NO_SOCKET);
    private final Endpoint deliverySource = new Endpoint();
    private final UnsafeBuffer deliveryBuffer = new UnsafeBuffer(new byte[0]);
    private SimSubnet subnet;
    private int ipv4;
    private int[] portBySocket = new int[16];
    private int openSprayingSockets;
    private int socketBudget = DEFAULT_SOCKET_BUDGET;
    private double lossRate;
    private SimApplication application;
    private boolean started;
    private boolean sleeping;
    private boolean timerOverdue;
    private long wakeDeadlineNs = NO_DEADLINE;
    private long wakeGeneration;

    SimHost(final SimNetwork network, final SimSubnet subnet, final int ipv4)
    {
        this.network = network;
        this.subnet = subnet;
        this.ipv4 = ipv4;
        this.random = network.random().split();
        bind(MAIN_SOCKET, DEFAULT_MAIN_PORT);
    }

    /**
     * Starts an application on this host: its {@link SimApplication#onStart} runs as an event at the current
     * time (or when the host wakes, if it is asleep then).
     *
     * @param application to run.
     * @return this.
     * @throws IllegalStateException if the host already has one.
     */
    public SimHost start(final SimApplication application)
    {
        if (null != this.application)
        {
            throw new IllegalStateException("host " + SimNetwork.ipv4ToString(ipv4) + " already runs an application");
        }
        this.application = application;
        network.schedule(network.now(), this::startIfAwake);
        return this;
    }

    /**
     * Rebinds the main socket to another port, such as the 1 or 10 of netsim's tests.
     *
     * @param port 1..65535, not bound by another socket of this host.
     * @return this.
     */
    public SimHost mainPort(final int port)
    {
        if (port < 1 || port > MAX_PORT || socketByPort.get(port) > MAIN_SOCKET)
        {
            throw new IllegalArgumentException("main port unusable: " + port);
        }
        socketByPort.remove(portBySocket[MAIN_SOCKET]);
        bind(MAIN_SOCKET, port);
        return this;
    }

    /**
     * Sets how many sockets {@link #openSocket()} may hold open at once; beyond it returns {@link #NO_SOCKET}.
     *
     * @param budget 0 to 64510.
     * @return this.
     */
    public SimHost socketBudget(final int budget)
    {
        // One ephemeral port always stays free, even if the main port is among them, so a port search ends.
        if (budget < 0 || budget >= MAX_PORT - MIN_EPHEMERAL_PORT)
        {
            throw new IllegalArgumentException("socket budget out of range: " + budget);
        }
        this.socketBudget = budget;
        return this;
    }

    /**
     * Sets the probability that a datagram this host sends is lost (netsim's per-node {@code dropProb}).
     *
     * @param probability 0 to 1.
     * @return this.
     */
    public SimHost lossRate(final double probability)
    {
        this.lossRate = SimNetwork.checkProbability(probability);
        return this;
    }

    /**
     * Puts the host to sleep or wakes it, as a laptop lid does. Asleep, it drops what it sends and receives and
     * its timer waits; on waking, an overdue timer (or a start that was due) runs once, at the wake time.
     *
     * @param asleep true to sleep, false to wake.
     */
    public void sleep(final boolean asleep)
    {
        if (asleep == sleeping)
        {
            return;
        }
        sleeping = asleep;
        if (!asleep)
        {
            // As an event, not inline, so a host woken from inside another host's callback is not re-entered.
            network.schedule(network.now(), this::catchUpAfterSleep);
        }
    }

    /**
     * Moves the host to another address, possibly in another subnet, as a laptop that changes network. Its
     * sockets keep their ports; {@link #localEndpoint(Endpoint)} reports the new address; mappings in a NAT it
     * left are simply never used again.
     *
     * @param target the internet or a NAT.
     * @param newIpv4 the new address in it, which must be free.
     * @throws IllegalArgumentException when the address is taken, or the subnet belongs to another network.
     */
    public void moveTo(final SimSubnet target, final int newIpv4)
    {
        if (target.network() != network)
        {
            throw new IllegalArgumentException("cannot move a host to another network");
        }
        subnet.detach(this);
        try
        {
            target.attach(this, newIpv4);
        }
        catch (final IllegalArgumentException ex)
        {
            subnet.attach(this, ipv4);
            throw ex;
        }
        subnet = target;
        ipv4 = newIpv4;
    }

    /**
     * The current address.
     *
     * @return big-endian IPv4.
     */
    public int ipv4()
    {
        return ipv4;
    }

    /**
     * The subnet the host is in now.
     *
     * @return the internet or a NAT.
     */
    public SimSubnet subnet()
    {
        return subnet;
    }

    /**
     * The running application.
     *
     * @return it, or null.
     */
    public SimApplication application()
    {
        return application;
    }

    /**
     * Whether the host is asleep.
     *
     * @return true when asleep.
     */
    public boolean isSleeping()
    {
        return sleeping;
    }

    /**
     * The local port a socket is bound to.
     *
     * @param socketId the socket.
     * @return its port, or 0 when it is not open.
     */
    public int localPort(final int socketId)
    {
        return socketId >= 0 && socketId < portBySocket.length ? portBySocket[socketId] : CLOSED;
    }

    /**
     * Sockets open, the main one included.
     *
     * @return the count.
     */
    public int openSockets()
    {
        return socketByPort.size();
    }

    /**
     * {@inheritDoc}
     */
    public long nowNs()
    {
        return network.now();
    }

    /**
     * {@inheritDoc}
     */
    public SplittableRandom random()
    {
        return random;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The bytes are copied at once. A destination that is not an IPv4 address with a port is dropped as
     * {@link SimDropReason#NO_ROUTE} and false returned; so is a datagram sent while asleep
     * ({@link SimDropReason#ASLEEP}). A closed socket returns false without counting anything.
     */
    public boolean send(
        final int socketId, final Endpoint destination, final DirectBuffer buffer, final int offset, final int length)
    {
        final int port = localPort(socketId);
        if (CLOSED == port)
        {
            return false;
        }
        final SimCounters counters = network.counters();
        counters.onSent();
        if (sleeping)
        {
            counters.onDropped(SimDropReason.ASLEEP);
            return false;
        }
        if (destination.family() != Endpoint.FAMILY_IPV4 || 0 == destination.port())
        {
            counters.onDropped(SimDropReason.NO_ROUTE);
            return false;
        }
        if (network.isLost(lossRate))
        {
            counters.onDropped(SimDropReason.LOSS);
            return true;
        }
        final byte[] datagram = new byte[length];
        buffer.getBytes(offset, datagram);
        subnet.route(this, port, destination, datagram);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int openSocket()
    {
        if (openSprayingSockets >= socketBudget)
        {
            return NO_SOCKET;
        }
        int socketId = 1;
        while (socketId < portBySocket.length && CLOSED != portBySocket[socketId])
        {
            socketId++;
        }
        if (socketId == portBySocket.length)
        {
            portBySocket = Arrays.copyOf(portBySocket, portBySocket.length * 2);
        }
        bind(socketId, freeEphemeralPort());
        openSprayingSockets++;
        return socketId;
    }

    /**
     * {@inheritDoc}
     */
    public void closeSocket(final int socketId)
    {
        final int port = localPort(socketId);
        if (MAIN_SOCKET == socketId || CLOSED == port)
        {
            return;
        }
        socketByPort.remove(port);
        portBySocket[socketId] = CLOSED;
        openSprayingSockets--;
    }

    /**
     * {@inheritDoc}
     */
    public Endpoint localEndpoint(final Endpoint into)
    {
        return into.setIpv4(ipv4, portBySocket[MAIN_SOCKET]);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Only the earliest pending deadline is kept: a later call with an earlier deadline supersedes the pending
     * one; a call with a later deadline is ignored until the pending one has fired.
     */
    public void wakeAt(final long deadlineNs)
    {
        if (deadlineNs >= wakeDeadlineNs)
        {
            return;
        }
        wakeDeadlineNs = deadlineNs;
        final long generation = ++wakeGeneration;
        network.schedule(deadlineNs, () -> onWakeDue(generation));
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "SimHost{" + SimNetwork.ipv4ToString(ipv4) + (sleeping ? ", asleep" : "") + '}';
    }

    /**
     * A datagram reaches this host at its current address, already past any NAT.
     */
    void receive(final int localPort, final int sourceIpv4, final int sourcePort, final byte[] datagram)
    {
        final SimCounters counters = network.counters();
        if (sleeping)
        {
            counters.onDropped(SimDropReason.ASLEEP);
            return;
        }
        final int socketId = socketByPort.get(localPort);
        if (NO_SOCKET == socketId || !started)
        {
            counters.onDropped(SimDropReason.NO_SOCKET);
            return;
        }
        counters.onDelivered();
        // Reused on purpose: the core must not keep them, exactly as with the real transport.
        deliverySource.setIpv4(sourceIpv4, sourcePort);
        deliveryBuffer.wrap(datagram);
        application.onDatagram(network.now(), socketId, deliverySource, deliveryBuffer, 0, datagram.length);
    }

    private void startIfAwake()
    {
        if (!started && !sleeping)
        {
            started = true;
            application.onStart(this, network.now());
        }
    }

    private void onWakeDue(final long generation)
    {
        if (generation != wakeGeneration || NO_DEADLINE == wakeDeadlineNs)
        {
            return;
        }
        wakeDeadlineNs = NO_DEADLINE;
        if (sleeping || !started)
        {
            timerOverdue = true;
            return;
        }
        application.onTimer(network.now());
    }

    private void catchUpAfterSleep()
    {
        if (sleeping)
        {
            return;
        }
        if (!started)
        {
            if (null != application)
            {
                startIfAwake();
            }
            return;
        }
        if (timerOverdue)
        {
            timerOverdue = false;
            application.onTimer(network.now());
        }
    }

    private void bind(final int socketId, final int port)
    {
        portBySocket[socketId] = port;
        socketByPort.put(port, socketId);
    }

    private int freeEphemeralPort()
    {
        final int range = MAX_PORT - MIN_EPHEMERAL_PORT + 1;
        int port = MIN_EPHEMERAL_PORT + network.random().nextInt(range);
        // The budget leaves ports free, so this ends; it is short unless the host holds most of them.
        while (NO_SOCKET != socketByPort.get(port))
        {
            port = port == MAX_PORT ? MIN_EPHEMERAL_PORT : port + 1;
        }
        return port;
    }
}
