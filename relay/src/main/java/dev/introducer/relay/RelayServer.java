package dev.introducer.relay;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.host.TransportHandler;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCore;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.engine.transport.NettyTransport;
import dev.introducer.engine.transport.TransportOptions;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;

/**
 * The relay data plane on real sockets: N workers (default: one per core), each an epoll event loop with its
 * own socket on the relay port ({@code SO_REUSEPORT}) and its own {@link RelayCore} shard.
 * <p>
 * The kernel spreads datagrams over the workers by source address, but a session's two legs must meet in one
 * core: a bind goes to the shard of its session id and data to the shard of its channel id. A datagram that
 * lands on the wrong worker is copied over to the right one (control path only: once a leg is bound, the owning
 * worker's connected socket for that leg receives its data directly, and forwarding allocates nothing).
 */
public final class RelayServer implements AutoCloseable
{
    /**
     * Datagrams per {@code recvmmsg} / {@code sendmmsg} on the legs' connected sockets (the reference C forwarder
     * batches 64 too); each worker holds a ring of that many 64 KiB slots. 1 is one {@code recv} and one
     * {@code send} per datagram. See the relay README for the measurements.
     */
    public static final int DATAGRAM_BATCH_DEFAULT = 64;
    /** {@code UDP_GRO} on the legs' sockets and {@code UDP_SEGMENT} on forwarding: off unless measured to pay. */
    public static final boolean UDP_OFFLOAD_DEFAULT = false;
    private static final int SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;

    private final NettyTransport[] transports;
    private final RelayCore[] cores;

    /**
     * Starts a relay.
     *
     * @param configuration its settings (public endpoint and secret).
     * @param bind          the local address and port of the relay socket.
     * @param workers       worker threads, at least 1.
     * @param forceNio      use NIO instead of epoll.
     * @param epochClock    the fleet's wall clock for token expiry.
     */
    public RelayServer(
        final RelayConfiguration configuration, final InetSocketAddress bind, final int workers,
        final boolean forceNio, final EpochClock epochClock)
    {
        this(configuration, bind, workers, forceNio, epochClock, DATAGRAM_BATCH_DEFAULT, UDP_OFFLOAD_DEFAULT);
    }

    /**
     * Starts a relay with a chosen data path.
     *
     * @param configuration its settings (public endpoint and secret).
     * @param bind          the local address and port of the relay socket.
     * @param workers       worker threads, at least 1.
     * @param forceNio      use NIO instead of epoll.
     * @param epochClock    the fleet's wall clock for token expiry.
     * @param datagramBatch datagrams per syscall on the legs' sockets, 1 for one syscall each (epoll only).
     * @param udpOffload    {@code UDP_GRO} on the legs' sockets and {@code UDP_SEGMENT} when forwarding a
     *                      coalesced burst (with a batch above 1, where the kernel has them).
     */
    public RelayServer(
        final RelayConfiguration configuration, final InetSocketAddress bind, final int workers,
        final boolean forceNio, final EpochClock epochClock, final int datagramBatch, final boolean udpOffload)
    {
        configuration.conclude();
        transports = new NettyTransport[workers];
        cores = new RelayCore[workers];
        final SecureRandom random = new SecureRandom();
        InetSocketAddress address = bind;
        try
        {
            for (int i = 0; i < workers; i++)
            {
                final NettyTransport transport = new NettyTransport(address,
                    new TransportOptions().forceNio(forceNio).sharePort(workers > 1)
                        .receiveBufferBytes(SOCKET_BUFFER_BYTES).sendBufferBytes(SOCKET_BUFFER_BYTES)
                        .datagramBatch(datagramBatch).udpGro(udpOffload).udpGso(udpOffload));
                transports[i] = transport;
                cores[i] = new RelayCore(configuration, transport, transport, epochClock, random).shard(workers, i);
                transport.start(new Shard(i));
                address = transport.mainLocalAddress();
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Starts a relay with one worker per core and the system clock.
     *
     * @param configuration its settings.
     * @param bind          the local address and port.
     * @return the running relay.
     */
    public static RelayServer start(final RelayConfiguration configuration, final InetSocketAddress bind)
    {
        return new RelayServer(configuration, bind, Runtime.getRuntime().availableProcessors(), false,
            SystemEpochClock.INSTANCE);
    }

    /**
     * The bound relay address.
     *
     * @return the address.
     */
    public InetSocketAddress localAddress()
    {
        return transports[0].mainLocalAddress();
    }

    /**
     * Whether epoll is in use.
     *
     * @return true for epoll.
     */
    public boolean isEpoll()
    {
        return transports[0].isEpoll();
    }

    /**
     * A counter summed over the workers (read without stopping them: a snapshot, not a barrier).
     *
     * @param type the counter.
     * @return its value.
     */
    public long counter(final RelayCounters.Type type)
    {
        long sum = 0;
        for (final RelayCore core : cores)
        {
            if (null != core)
            {
                sum += core.counters().get(type);
            }
        }
        return sum;
    }

    /**
     * Datagrams the core forwarded into a batched send that the kernel then did not take, over the workers (a
     * snapshot). With one send per datagram such a loss is a core counter instead.
     *
     * @return the count.
     */
    public long batchedSendsDropped()
    {
        return sumOverWorkers(NettyTransport::batchedSendsDropped);
    }

    /**
     * Forwarding sends that carried several datagrams ({@code UDP_SEGMENT}), over the workers (a snapshot).
     *
     * @return the count.
     */
    public long gsoSends()
    {
        return sumOverWorkers(NettyTransport::gsoSends);
    }

    /**
     * Received datagrams the kernel had coalesced from several ({@code UDP_GRO}), over the workers (a snapshot).
     *
     * @return the count.
     */
    public long coalescedReceives()
    {
        return sumOverWorkers(NettyTransport::coalescedReceives);
    }

    private long sumOverWorkers(final ToLongFunction<NettyTransport> counter)
    {
        long sum = 0;
        for (final NettyTransport transport : transports)
        {
            sum += null == transport ? 0 : counter.applyAsLong(transport);
        }
        return sum;
    }

    /**
     * Whether the legs' sockets read and write in batches (known once a leg is bound).
     *
     * @return true if the first worker batches.
     */
    public boolean isBatching()
    {
        return transports[0].isBatching();
    }

    /**
     * Sessions held, over the workers.
     *
     * @return the count.
     */
    public int sessionCount()
    {
        int sum = 0;
        for (int i = 0; i < cores.length; i++)
        {
            final RelayCore core = cores[i];
            if (null != core)
            {
                try
                {
                    sum += transports[i].submit(core::sessionCount).get(5, TimeUnit.SECONDS);
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return sum;
    }

    /**
     * The engine thread ids of the workers, for allocation measurements.
     *
     * @return one id per worker.
     */
    public long[] workerThreadIds()
    {
        final long[] ids = new long[transports.length];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = transports[i].engineThreadId();
        }
        return ids;
    }

    /**
     * Stops the workers and closes every socket.
     */
    public void close()
    {
        for (final NettyTransport transport : transports)
        {
            if (null != transport)
            {
                transport.close();
            }
        }
    }

    /**
     * One worker's handler: routes each datagram to the shard that owns it.
     */
    private final class Shard implements TransportHandler
    {
        private final int index;

        Shard(final int index)
        {
            this.index = index;
        }

        public void start(final long nowNs)
        {
            cores[index].start(nowNs);
        }

        public void onDatagram(final long nowNs, final int socketId, final Endpoint source,
            final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final int owner = ownerOf(buffer, offset, length);
            if (owner == index || owner < 0)
            {
                cores[index].onDatagram(nowNs, socketId, source, buffer, offset, length);
                return;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            final Endpoint from = source.copy();
            transports[owner].execute(() -> cores[owner].onDatagram(
                transports[owner].nowNs(), 0, from, new UnsafeBuffer(copy), 0, copy.length));
        }

        private int ownerOf(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final int shards = cores.length;
            if (shards > 1 && RelayDataFlyweight.isRelayData(buffer, offset, length))
            {
                return RelayCore.shardOfChannel(RelayDataFlyweight.channelId(buffer, offset), shards);
            }
            if (shards > 1 && RelayBindFlyweight.isBind(buffer, offset, length))
            {
                return RelayCore.shardOfSession(RelayBindFlyweight.sessionId(buffer, offset), shards);
            }
            return -1;
        }

        public void onTimer(final long nowNs)
        {
            cores[index].onTimer(nowNs);
        }

        public void close()
        {
            cores[index].close();
        }
    }
}
