package dev.introducer.engine.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.NativeDatagramBatch;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.ScheduledFuture;

import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.host.TransportHandler;
import dev.introducer.protocol.Endpoint;

/**
 * The core's {@link Transport} and {@link Scheduler} on Netty 4.2: one event loop thread (the engine's thread)
 * with the native epoll transport, or NIO where epoll is missing (logged once).
 * <p>
 * Every connection to a peer gets a <em>connected</em> UDP socket bound to the same local port as the socket the
 * path uses ({@code SO_REUSEPORT}): the kernel hands that peer's datagrams to it. It is a raw native socket on the
 * same event loop ({@link ConnectedUdpSocket}), read into one preallocated buffer and written from the caller's
 * memory, so the data path allocates and copies nothing. With {@link TransportOptions#datagramBatch} above 1 those sockets
 * use {@code recvmmsg}/{@code sendmmsg} batches, optionally with {@code UDP_GRO}/{@code UDP_SEGMENT}
 * ({@link DatagramBatcher}), still allocation-free. Everything else (introducers, probes, strangers) arrives on the
 * unconnected Netty channels.
 */
public final class NettyTransport implements Transport, Scheduler, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());
    private static volatile boolean fallbackLogged;
    private static final int MAX_DATAGRAM = 65_536;
    private static final long LOCAL_ENDPOINT_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);

    private final InetSocketAddress bindAddress;
    private final TransportOptions options;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Int2ObjectHashMap<Channel> sockets = new Int2ObjectHashMap<>();
    private final Map<Endpoint, ConnectedUdpSocket> connectedPaths = new HashMap<>();
    private final AddressCache addresses = new AddressCache();
    private final UnsafeBuffer sendView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_DATAGRAM, 64));
    private final UnsafeBuffer stagingBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_DATAGRAM, 64));
    private final DatagramSink inbound = this::onDatagram;
    private final TransportErrors errors;
    private final Endpoint localEndpoint = new Endpoint();
    private final Runnable timerTask = this::onTimerTask;
    private TransportHandler core;
    private InetSocketAddress mainLocalAddress;
    private InetAddress introducerForRoute;
    private volatile DatagramBatcher batcher;
    private boolean batcherTried;
    private int nextSocketId = 1;
    private ScheduledFuture<?> timer;
    private long timerDeadlineNs = Long.MAX_VALUE;
    private long localEndpointCheckedNs;
    private volatile boolean closed;

    /**
     * A transport; nothing is bound until {@link #start}.
     *
     * @param bindAddress where the main socket binds.
     * @param options     socket settings.
     */
    public NettyTransport(final InetSocketAddress bindAddress, final TransportOptions options)
    {
        this.bindAddress = bindAddress;
        this.options = options;
        this.errors = new TransportErrors(options.errorHandler);
        this.epoll = !options.forceNio && Epoll.isAvailable();
        if (!epoll && !options.forceNio && !fallbackLogged)
        {
            fallbackLogged = true;
            LOG.log(System.Logger.Level.WARNING, "native epoll unavailable, using NIO (the data path allocates): " +
                Epoll.unavailabilityCause());
        }
        this.group = new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
    }

    /**
     * Binds the main socket and starts the core on the engine's thread. Waits until both are done.
     *
     * @param core the core to drive.
     * @throws UncheckedIOException when the main socket cannot be bound.
     */
    public void start(final TransportHandler core)
    {
        this.core = core;
        final Future<Throwable> started = loop.submit(() ->
        {
            final Channel main = newChannel(Transport.MAIN_SOCKET, bindAddress, options.sharePort);
            if (null == main)
            {
                return new BindException("cannot bind " + bindAddress.getAddress().getHostAddress() + ":" +
                    bindAddress.getPort() + " (in use, or not a local address)");
            }
            sockets.put(Transport.MAIN_SOCKET, main);
            mainLocalAddress = (InetSocketAddress)main.localAddress();
            try
            {
                core.start(nowNs());
            }
            catch (final RuntimeException | Error ex)
            {
                errors.onError(ex);
                throw ex;
            }
            return null;
        });
        final Throwable failure;
        try
        {
            failure = started.get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            close();
            throw new IllegalStateException("engine did not start", ex);
        }
        if (null != failure)
        {
            close();
            throw new UncheckedIOException(failure.getMessage(), new IOException(failure));
        }
    }

    /**
     * Whether epoll is in use.
     *
     * @return true for epoll, false for NIO.
     */
    public boolean isEpoll()
    {
        return epoll;
    }

    /**
     * The bound address of the main socket.
     *
     * @return the address.
     */
    public InetSocketAddress mainLocalAddress()
    {
        return mainLocalAddress;
    }

    /**
     * The engine's clock.
     *
     * @return nanoseconds, monotonic.
     */
    public long nowNs()
    {
        return System.nanoTime();
    }

    /**
     * Whether the caller is the engine's thread.
     *
     * @return true on the event loop.
     */
    public boolean inEngineThread()
    {
        return loop.inEventLoop();
    }

    /**
     * Runs a task on the engine's thread.
     *
     * @param task to run.
     */
    public void execute(final Runnable task)
    {
        if (!closed)
        {
            loop.execute(() -> errors.run(task));
        }
    }

    /**
     * Runs a task on the engine's thread and returns its future.
     *
     * @param task to run.
     * @param <T>  its result type.
     * @return the future.
     */
    public <T> Future<T> submit(final Callable<T> task)
    {
        return loop.submit(() -> errors.call(task));
    }

    /**
     * The engine thread's id, for allocation measurements.
     *
     * @return the thread id.
     */
    public long engineThreadId()
    {
        try
        {
            return loop.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private Channel newChannel(final int socketId, final InetSocketAddress local, final boolean sharePort)
    {
        final Channel channel;
        if (epoll)
        {
            channel = new EpollDatagramChannel(familyOf(local.getAddress()));
            if (sharePort)
            {
                channel.config().setOption(UnixChannelOption.SO_REUSEPORT, true);
            }
        }
        else
        {
            channel = new NioDatagramChannel(familyOf(local.getAddress()));
        }
        configure(channel);
        channel.pipeline().addLast(new DatagramReceiver(inbound, socketId, errors));
        if (!loop.register(channel).isSuccess())
        {
            channel.close();
            return null;
        }
        final ChannelFuture bound = channel.bind(local);
        if (bound.isDone() && !bound.isSuccess())
        {
            channel.close();
            return null;
        }
        if (epoll)
        {
            // Only after an exclusive bind: SO_REUSEPORT set before bind(port 0) lets the kernel hand out a port
            // some other reuseport socket already has (measured here: 78 duplicates in 2,000 binds), and before a
            // fixed-port bind it would let a second process share our port silently. Set now, it only lets our
            // own connected per-peer sockets join this port.
            channel.config().setOption(UnixChannelOption.SO_REUSEPORT, true);
        }
        return channel;
    }

    private void configure(final Channel channel)
    {
        channel.config().setOption(ChannelOption.SO_RCVBUF, options.receiveBufferBytes);
        channel.config().setOption(ChannelOption.SO_SNDBUF, options.sendBufferBytes);
        channel.config().setOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
    }

    private static SocketProtocolFamily familyOf(final InetAddress address)
    {
        return address instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    /**
     * {@inheritDoc}
     */
    public boolean send(
        final int socketId, final Endpoint destination, final DirectBuffer buffer, final int offset, final int length)
    {
        final ConnectedUdpSocket path = connectedPaths.get(destination);
        if (null != path && path.socketId() == socketId && length <= stagingBuffer.capacity())
        {
            return path.send(buffer, offset, length, stagingBuffer);
        }
        final Channel channel = sockets.get(socketId);
        if (null == channel || !channel.isActive())
        {
            return false;
        }
        final InetSocketAddress recipient = addresses.of(destination);
        if (null == recipient)
        {
            return false;
        }
        channel.writeAndFlush(new DatagramPacket(copy(channel, buffer, offset, length), recipient),
            channel.voidPromise());
        return true;
    }

    private ByteBuf copy(final Channel channel, final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf payload = channel.alloc().directBuffer(length);
        if (payload.hasMemoryAddress())
        {
            sendView.wrap(payload.memoryAddress(), length);
            sendView.putBytes(0, buffer, offset, length);
            payload.writerIndex(length);
        }
        else
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            payload.writeBytes(bytes);
        }
        return payload;
    }

    /**
     * {@inheritDoc}
     */
    public int openSocket()
    {
        if (closed || null == mainLocalAddress)
        {
            return NO_SOCKET;
        }
        final int socketId = nextSocketId();
        final Channel channel = newChannel(socketId, new InetSocketAddress(mainLocalAddress.getAddress(), 0), false);
        if (null == channel)
        {
            return NO_SOCKET;
        }
        sockets.put(socketId, channel);
        return socketId;
    }

    private int nextSocketId()
    {
        while (sockets.containsKey(nextSocketId) || nextSocketId <= Transport.MAIN_SOCKET)
        {
            nextSocketId = nextSocketId == Integer.MAX_VALUE ? 1 : nextSocketId + 1;
        }
        return nextSocketId++;
    }

    /**
     * {@inheritDoc}
     */
    public void closeSocket(final int socketId)
    {
        if (socketId == Transport.MAIN_SOCKET)
        {
            return;
        }
        final Channel channel = sockets.remove(socketId);
        if (null != channel)
        {
            channel.close();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void pathUp(final int socketId, final Endpoint remote)
    {
        final Channel parent = sockets.get(socketId);
        final ConnectedUdpSocket existing = connectedPaths.get(remote);
        if (null != existing)
        {
            if (existing.socketId() == socketId)
            {
                existing.retain();
            }
            return;
        }
        if (!epoll || null == parent)
        {
            return;
        }
        final Endpoint remoteCopy = remote.copy();
        final ConnectedUdpSocket socket = ConnectedUdpSocket.open((IoEventLoop)loop, inbound, socketId, remoteCopy,
            (InetSocketAddress)parent.localAddress(), addresses.of(remote), receiveBuffer, options.receiveBufferBytes,
            options.sendBufferBytes, batcher());
        if (null != socket)
        {
            connectedPaths.put(remoteCopy, socket);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void pathDown(final int socketId, final Endpoint remote)
    {
        final ConnectedUdpSocket path = connectedPaths.get(remote);
        if (null != path && path.socketId() == socketId && path.release())
        {
            connectedPaths.remove(remote);
            path.close();
        }
    }

    private DatagramBatcher batcher()
    {
        if (!batcherTried)
        {
            batcherTried = true;
            if (options.datagramBatch > 1)
            {
                if (NativeDatagramBatch.isAvailable())
                {
                    batcher = new DatagramBatcher(inbound, options.datagramBatch, options.udpGro, options.udpGso);
                }
                else
                {
                    LOG.log(System.Logger.Level.WARNING, "batched datagram syscalls unavailable, one per datagram: " +
                        NativeDatagramBatch.unavailabilityCause());
                }
            }
        }
        return batcher;
    }

    /**
     * Whether the connected sockets read and write in batches ({@link TransportOptions#datagramBatch}); known once the
     * first one is open.
     *
     * @return true if batched.
     */
    public boolean isBatching()
    {
        return null != batcher;
    }

    /**
     * Datagrams the core handed over for a batched send that the kernel did not take (buffer full, ICMP error).
     * With one send per datagram the core sees such a failure itself. Read on the engine's thread, or as a
     * snapshot.
     *
     * @return the count.
     */
    public long batchedSendsDropped()
    {
        final DatagramBatcher b = batcher;
        return null == b ? 0 : b.sendsDropped();
    }

    /**
     * Sends that carried several datagrams ({@code UDP_SEGMENT}).
     *
     * @return the count.
     */
    public long gsoSends()
    {
        final DatagramBatcher b = batcher;
        return null == b ? 0 : b.gsoSends();
    }

    /**
     * Received datagrams that the kernel had coalesced from several ({@code UDP_GRO}).
     *
     * @return the count.
     */
    public long coalescedReceives()
    {
        final DatagramBatcher b = batcher;
        return null == b ? 0 : b.coalescedReceives();
    }

    /**
     * Connected per-peer sockets open now.
     *
     * @return the count.
     */
    public int connectedPaths()
    {
        return connectedPaths.size();
    }

    /**
     * {@inheritDoc}
     */
    public Endpoint localEndpoint(final Endpoint into)
    {
        final long now = nowNs();
        if (localEndpoint.isNone() || now - localEndpointCheckedNs > LOCAL_ENDPOINT_REFRESH_NS)
        {
            localEndpointCheckedNs = now;
            refreshLocalEndpoint();
        }
        return into.set(localEndpoint);
    }

    /**
     * Where the main socket is reachable on the LAN: its bound address, or for a wildcard bind, the interface
     * address the kernel would use towards the first introducer (a connect() on a UDP socket sends nothing).
     */
    private void refreshLocalEndpoint()
    {
        if (null == mainLocalAddress)
        {
            return;
        }
        InetAddress address = mainLocalAddress.getAddress();
        if (address.isAnyLocalAddress() && null != introducerForRoute)
        {
            try (DatagramSocket probe = new DatagramSocket())
            {
                probe.connect(introducerForRoute, 9);
                final InetAddress routed = probe.getLocalAddress();
                if (null != routed && !routed.isAnyLocalAddress())
                {
                    address = routed;
                }
            }
            catch (final SocketException ex)
            {
                // No route: keep the wildcard; peers behind the same NAT then cannot use the LAN path.
            }
        }
        if (address.isAnyLocalAddress())
        {
            localEndpoint.clear();
            return;
        }
        localEndpoint.set(address, mainLocalAddress.getPort());
    }

    /**
     * Tells the transport which address to find the LAN interface by (the first introducer).
     *
     * @param introducer an introducer's endpoint.
     */
    public void routeHint(final Endpoint introducer)
    {
        final InetSocketAddress address = introducer.toInetSocketAddress();
        this.introducerForRoute = null == address ? null : address.getAddress();
    }

    /**
     * {@inheritDoc}
     */
    public void wakeAt(final long deadlineNs)
    {
        if (closed)
        {
            return;
        }
        if (null != timer && deadlineNs >= timerDeadlineNs && !timer.isDone())
        {
            return;
        }
        if (null != timer)
        {
            timer.cancel(false);
        }
        timerDeadlineNs = deadlineNs;
        timer = loop.schedule(timerTask, Math.max(0, deadlineNs - nowNs()), TimeUnit.NANOSECONDS);
    }

    private void onTimerTask()
    {
        timerDeadlineNs = Long.MAX_VALUE;
        timer = null;
        if (!closed)
        {
            try
            {
                core.onTimer(nowNs());
            }
            catch (final Throwable ex)
            {
                errors.onError(ex);
            }
        }
    }

    /**
     * The {@link DatagramSink} of every socket kind: a datagram for the core, at the time it is handed over.
     */
    private void onDatagram(
        final int socketId, final Endpoint source, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (!closed)
        {
            try
            {
                core.onDatagram(nowNs(), socketId, source, buffer, offset, length);
            }
            catch (final Throwable ex)
            {
                errors.onError(ex);
            }
        }
    }

    /**
     * Closes every socket and stops the engine's thread. Waits up to a few seconds.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            loop.submit(() ->
            {
                if (null != core)
                {
                    errors.run(core::close);
                }
                for (final ConnectedUdpSocket path : connectedPaths.values())
                {
                    path.close();
                }
                connectedPaths.clear();
                for (final Channel channel : sockets.values())
                {
                    channel.close();
                }
                sockets.clear();
                return null;
            }).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "close: " + ex);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
