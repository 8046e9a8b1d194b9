package dev.introducer.engine.relay;

import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * The relay's sans-IO core: binds legs with tokens and forwards {@code RELAY_DATA} between the two legs of a
 * session, unchanged and from the receive buffer (no copy). Like the engine core it takes the time as an argument
 * and reaches the world only through a {@link Transport} and a {@link Scheduler}, so it runs in the simulator and
 * on Netty alike.
 * <ul>
 *     <li>A bind is validated statelessly: the token (HMAC with the fleet secret), the relay endpoint it names,
 *     and, for a leg's first bind, its expiry. A bound leg's token from another address is a replay: dropped.</li>
 *     <li>Nothing is sent to an address before its leg is bound, except the 24-byte answer to a 140-byte bind:
 *     the relay never amplifies.</li>
 *     <li>Data is found by channel id, then checked against the session's two leg addresses.</li>
 *     <li>Quotas: packets and bytes per second per session, binds per second per source address.</li>
 * </ul>
 * Forwarding allocates nothing: primitive-keyed Agrona maps, flyweights, and the transport's connected sockets.
 */
public final class RelayCore implements dev.introducer.engine.host.TransportHandler
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final RelayConfiguration configuration;
    private final Transport transport;
    private final Scheduler scheduler;
    private final EpochClock epochClock;
    private final RandomGenerator random;
    private final RelayCounters counters = new RelayCounters();
    private final FrameDecoder decoder = new FrameDecoder();
    private final RelayToken token;
    private final Long2ObjectHashMap<RelaySession> sessions;
    private final Int2ObjectHashMap<RelaySession> byChannel;
    private final Long2LongHashMap bindsBySource = new Long2LongHashMap(0);
    private final RelayBindAckFlyweight ack = new RelayBindAckFlyweight();
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[RelayBindAckFlyweight.LENGTH]);
    private final Endpoint scratch = new Endpoint();
    private long bindWindowStartNs;
    private long nextTickNs;
    private int shardCount = 1;
    private int shardIndex;

    /**
     * A relay core.
     *
     * @param configuration its settings.
     * @param transport     the way out.
     * @param scheduler     the timer.
     * @param epochClock    the fleet's wall clock, for token expiry.
     * @param random        for channel ids.
     */
    public RelayCore(
        final RelayConfiguration configuration, final Transport transport, final Scheduler scheduler,
        final EpochClock epochClock, final RandomGenerator random)
    {
        this.configuration = configuration.conclude();
        this.transport = transport;
        this.scheduler = scheduler;
        this.epochClock = epochClock;
        this.random = random;
        this.token = new RelayToken(configuration.secret());
        this.sessions = new Long2ObjectHashMap<>(1024, 0.65f, true);
        this.byChannel = new Int2ObjectHashMap<>(1024, 0.65f, true);
    }

    /**
     * Makes this core one shard of several: its channel ids satisfy {@code channel mod count == index}, so that
     * data can be routed to the worker that owns the session by its channel id alone.
     *
     * @param count  shards in the relay.
     * @param index  this shard.
     * @return this.
     */
    public RelayCore shard(final int count, final int index)
    {
        this.shardCount = count;
        this.shardIndex = index;
        return this;
    }

    /**
     * The shard that owns a session.
     *
     * @param sessionId the session.
     * @param count     shards in the relay.
     * @return its index.
     */
    public static int shardOfSession(final long sessionId, final int count)
    {
        return (int)Long.remainderUnsigned(sessionId, count);
    }

    /**
     * The shard that owns a channel.
     *
     * @param channelId the channel.
     * @param count     shards in the relay.
     * @return its index.
     */
    public static int shardOfChannel(final int channelId, final int count)
    {
        return Integer.remainderUnsigned(channelId, count);
    }

    /**
     * Releases nothing: the transport closes the sockets.
     */
    public void close()
    {
    }

    /**
     * Starts the housekeeping timer.
     *
     * @param nowNs the time.
     */
    public void start(final long nowNs)
    {
        bindWindowStartNs = nowNs;
        nextTickNs = nowNs + configuration.tickNs();
        scheduler.wakeAt(nextTickNs);
    }

    /**
     * A datagram arrived.
     *
     * @param nowNs    the time.
     * @param socketId the socket it came in on.
     * @param source   its sender.
     * @param buffer   holding it.
     * @param offset   of the datagram.
     * @param length   of the datagram.
     */
    public void onDatagram(
        final long nowNs, final int socketId, final Endpoint source, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        final int type = decoder.decode(buffer, offset, length);
        if (type == MessageType.RELAY_DATA)
        {
            onRelayData(nowNs, source, buffer, offset, length, decoder.relayData().channelId());
        }
        else if (type == MessageType.RELAY_BIND)
        {
            onRelayBind(nowNs, socketId, source, decoder.relayBind());
        }
        else
        {
            counters.increment(RelayCounters.Type.DATAGRAMS_RECEIVED);
            counters.increment(type < 0 ? RelayCounters.Type.DROPPED_MALFORMED :
                RelayCounters.Type.DROPPED_UNEXPECTED);
        }
    }

    /**
     * A {@code RELAY_DATA} datagram that the host decoded already (an engine relaying for its swarms): forwards it
     * to the session's other leg, unchanged, from {@code buffer}.
     *
     * @param nowNs     the time.
     * @param source    its sender.
     * @param buffer    holding it.
     * @param offset    of the datagram.
     * @param length    of the datagram.
     * @param channelId its channel id.
     */
    public void onRelayData(
        final long nowNs, final Endpoint source, final MutableDirectBuffer buffer, final int offset, final int length,
        final int channelId)
    {
        counters.increment(RelayCounters.Type.DATAGRAMS_RECEIVED);
        forward(nowNs, source, buffer, offset, length, channelId);
    }

    /**
     * A {@code RELAY_BIND} that the host decoded already.
     *
     * @param nowNs    the time.
     * @param socketId the socket it came in on: the leg's data leaves from it.
     * @param source   its sender: the leg's address.
     * @param bind     the decoded bind.
     */
    public void onRelayBind(
        final long nowNs, final int socketId, final Endpoint source, final RelayBindFlyweight bind)
    {
        counters.increment(RelayCounters.Type.DATAGRAMS_RECEIVED);
        bind(nowNs, socketId, source, bind);
    }

    private void forward(
        final long nowNs, final Endpoint source, final MutableDirectBuffer buffer, final int offset, final int length,
        final int channelId)
    {
        final RelaySession session = byChannel.get(channelId);
        final int leg = null == session ? -1 : session.legOf(source);
        if (leg < 0 || !session.isBound(1 - leg))
        {
            counters.increment(RelayCounters.Type.DROPPED_UNBOUND);
            return;
        }
        if (nowNs - session.windowStartNs >= SECOND_NS)
        {
            session.windowStartNs = nowNs;
            session.windowPackets = 0;
            session.windowBytes = 0;
        }
        if (++session.windowPackets > configuration.sessionPacketRate() ||
            (session.windowBytes += length) > configuration.sessionByteRate())
        {
            counters.increment(RelayCounters.Type.QUOTA_SESSION);
            return;
        }
        session.lastActivityNs = nowNs;
        final int other = 1 - leg;
        if (transport.send(session.legSockets[other], session.legs[other], buffer, offset, length))
        {
            counters.increment(RelayCounters.Type.DATAGRAMS_FORWARDED);
            counters.add(RelayCounters.Type.BYTES_FORWARDED, length);
        }
    }

    private void bind(final long nowNs, final int socketId, final Endpoint source, final RelayBindFlyweight bind)
    {
        if (!allowBindFrom(nowNs, source))
        {
            counters.increment(RelayCounters.Type.QUOTA_BIND);
            return;
        }
        bind.readRelayEndpoint(scratch);
        if (!scratch.equals(configuration.publicEndpoint()))
        {
            counters.increment(RelayCounters.Type.DROPPED_WRONG_RELAY);
            return;
        }
        if (!token.verify(bind))
        {
            counters.increment(RelayCounters.Type.DROPPED_FORGED_TOKEN);
            return;
        }
        final long sessionId = bind.sessionId();
        final int leg = compareIds(bind) <= 0 ? 0 : 1;
        RelaySession session = sessions.get(sessionId);
        if (null != session && session.isBound(leg))
        {
            if (!session.legs[leg].equals(source))
            {
                counters.increment(RelayCounters.Type.DROPPED_REPLAYED_TOKEN);
                return;
            }
            session.lastActivityNs = nowNs;
            answer(socketId, source, 0, session);
            return;
        }
        if (bind.expiry() < epochClock.time())
        {
            counters.increment(RelayCounters.Type.DROPPED_EXPIRED_TOKEN);
            answer(socketId, source, ErrorCode.TOKEN_EXPIRED, null, sessionId);
            return;
        }
        if (null == session)
        {
            if (sessions.size() >= configuration.maxSessions())
            {
                counters.increment(RelayCounters.Type.QUOTA_SESSIONS_FULL);
                answer(socketId, source, ErrorCode.QUOTA_EXCEEDED, null, sessionId);
                return;
            }
            session = new RelaySession(sessionId, newChannelId(), nowNs);
            sessions.put(sessionId, session);
            byChannel.put(session.channelId, session);
            counters.increment(RelayCounters.Type.SESSIONS_OPENED);
        }
        session.legs[leg].set(source);
        session.legSockets[leg] = socketId;
        session.lastActivityNs = nowNs;
        transport.pathUp(socketId, source);
        counters.increment(RelayCounters.Type.BINDS);
        answer(socketId, source, 0, session);
        if (session.boundLegs() == 2)
        {
            // The first leg is waiting to hear that data can flow.
            answer(session.legSockets[1 - leg], session.legs[1 - leg], 0, session);
        }
    }

    private void answer(final int socketId, final Endpoint to, final int status, final RelaySession session)
    {
        answer(socketId, to, status, session, session.sessionId);
    }

    private void answer(
        final int socketId, final Endpoint to, final int status, final RelaySession session, final long sessionId)
    {
        ack.wrapForRelayBindAck(ackBuffer, 0).status(status).legs(null == session ? 0 : session.boundLegs())
            .sessionId(sessionId).channelId(null == session ? 0 : session.channelId);
        transport.send(socketId, to, ackBuffer, 0, ack.frameLength());
    }

    private int newChannelId()
    {
        int channel;
        do
        {
            channel = random.nextInt();
        }
        while (0 == channel || byChannel.containsKey(channel) || shardOfChannel(channel, shardCount) != shardIndex);
        return channel;
    }

    private boolean allowBindFrom(final long nowNs, final Endpoint source)
    {
        if (nowNs - bindWindowStartNs >= SECOND_NS)
        {
            bindWindowStartNs = nowNs;
            bindsBySource.clear();
        }
        final long key = source.addressHigh() * 31 + source.addressLow();
        final long count = bindsBySource.get(key) + 1;
        bindsBySource.put(key, count);
        return count <= configuration.bindRatePerSource();
    }

    private static int compareIds(final RelayBindFlyweight bind)
    {
        final int a = bind.senderIdOffset();
        final int b = bind.otherPeerIdOffset();
        for (int i = 0; i < Id32.LENGTH; i += 8)
        {
            final int c = Long.compareUnsigned(bind.buffer().getLong(a + i, ByteOrder.BIG_ENDIAN),
                bind.buffer().getLong(b + i, ByteOrder.BIG_ENDIAN));
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    /**
     * The timer: expires idle sessions.
     *
     * @param nowNs the time.
     */
    public void onTimer(final long nowNs)
    {
        if (nowNs >= nextTickNs)
        {
            expire(nowNs);
            nextTickNs = nowNs + configuration.tickNs();
        }
        scheduler.wakeAt(nextTickNs);
    }

    private void expire(final long nowNs)
    {
        final Long2ObjectHashMap<RelaySession>.ValueIterator iterator = sessions.values().iterator();
        while (iterator.hasNext())
        {
            final RelaySession session = iterator.next();
            if (nowNs - session.lastActivityNs > configuration.idleTimeoutNs())
            {
                for (int leg = 0; leg < 2; leg++)
                {
                    if (session.isBound(leg))
                    {
                        transport.pathDown(session.legSockets[leg], session.legs[leg]);
                    }
                }
                byChannel.remove(session.channelId);
                iterator.remove();
                counters.increment(RelayCounters.Type.SESSIONS_EXPIRED);
            }
        }
    }

    /**
     * Sessions held now.
     *
     * @return the count.
     */
    public int sessionCount()
    {
        return sessions.size();
    }

    /**
     * The counters.
     *
     * @return the counters.
     */
    public RelayCounters counters()
    {
        return counters;
    }
}
