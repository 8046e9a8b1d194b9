package dev.introducer.engine.core;

import java.util.List;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;

/**
 * A peer's links to its configured introducers: the return-routability cookie each gave us, our record of each
 * (liveness, restart epoch), the keepalive pings, and what we ask of them: joins, leaves and introductions. Joins
 * and leaves go to our connected swarm members too, which answer joins for their swarms.
 */
final class IntroducerLinks
{
    private final EngineConfiguration configuration;
    private final Transport transport;
    private final FrameWriter writer;
    private final EngineCounters counters;
    private final SwarmTable swarms;
    private final List<Endpoint> introducers;
    private final Peer[] records;
    private final long[] cookies;
    private final Endpoint observed = new Endpoint();
    private final Endpoint lan = new Endpoint();
    private final long keepaliveNs;

    IntroducerLinks(
        final EngineConfiguration configuration, final Transport transport, final FrameWriter writer,
        final EngineCounters counters, final SwarmTable swarms)
    {
        this.configuration = configuration;
        this.transport = transport;
        this.writer = writer;
        this.counters = counters;
        this.swarms = swarms;
        this.introducers = configuration.introducers();
        this.records = new Peer[introducers.size()];
        this.cookies = new long[introducers.size()];
        this.keepaliveNs = configuration.keepaliveNs();
    }

    /**
     * The cookie the introducer {@code index} gave us in its last pong, 0 before its first.
     */
    long cookie(final int index)
    {
        return cookies[index];
    }

    /**
     * Our record of the introducer {@code index}, null before its first pong.
     */
    Peer record(final int index)
    {
        return records[index];
    }

    /**
     * Which configured introducer an endpoint is.
     *
     * @return its index in configuration order, or -1.
     */
    int indexOf(final Endpoint source)
    {
        for (int i = 0; i < introducers.size(); i++)
        {
            if (introducers.get(i).equals(source))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first configured introducer, where a CONNECT that waited for our NAT type is taken to have come from.
     */
    Endpoint first()
    {
        return introducers.get(0);
    }

    /**
     * Asks every introducer for an introduction to a peer.
     *
     * @param flags the INTRO's flags ({@code RENEW}, {@code RELAY}).
     */
    void askForIntroduction(final Id32 target, final int flags)
    {
        for (int i = 0; i < cookies.length; i++)
        {
            writer.intro(introducers.get(i), target, null, cookies[i], flags);
        }
    }

    /**
     * Pings every introducer with its cookie, which makes it record us (we proved we receive at our address).
     */
    void pingAll(final long nowNs)
    {
        for (int i = 0; i < cookies.length; i++)
        {
            writer.introducerPing(introducers.get(i), cookies[i], nowNs);
        }
    }

    /**
     * Pings each introducer not pinged for a keepalive period, and each that never answered.
     */
    void keepAlive(final long nowNs)
    {
        for (int i = 0; i < introducers.size(); i++)
        {
            final Peer introducer = records[i];
            if (null == introducer || nowNs - introducer.lastSentNs() >= keepaliveNs)
            {
                writer.introducerPing(introducers.get(i), cookies[i], nowNs);
                if (null != introducer)
                {
                    introducer.sentTo(nowNs);
                }
            }
        }
    }

    /**
     * Sends a join for every swarm we joined.
     */
    void joinAll(final long nowNs)
    {
        for (final Swarm swarm : swarms.all())
        {
            if (swarm.joined())
            {
                join(nowNs, swarm);
            }
        }
    }

    /**
     * Joins again, once a keepalive period, every swarm we joined that has fewer connected members than we want.
     */
    void joinWhereFewMembers(final long nowNs)
    {
        for (final Swarm swarm : swarms.all())
        {
            if (swarm.joined() && swarm.connectedMembers() < configuration.introductionsWanted() &&
                nowNs - swarm.lastJoinSentNs() >= keepaliveNs)
            {
                join(nowNs, swarm);
            }
        }
    }

    /**
     * Asks the introducers, and our connected members of the swarm, for introductions to its members.
     */
    void join(final long nowNs, final Swarm swarm)
    {
        swarm.lastJoinSentNs(nowNs);
        final int current = swarm.connectedMembers();
        transport.localEndpoint(lan);
        for (int i = 0; i < cookies.length; i++)
        {
            writer.join(introducers.get(i), swarm.id(), configuration.introductionsWanted(), current, cookies[i], lan);
        }
        if (current > 0)
        {
            // Members answer joins too: they introduce us to their own members (peer-assisted introduction).
            for (final Peer member : swarm.members())
            {
                if (member.isConnected())
                {
                    writer.join(member.endpoint(), swarm.id(), configuration.introductionsWanted(), current, 0, lan);
                }
            }
        }
    }

    /**
     * Tells the introducers and our connected members of the swarm that we left it.
     */
    void leave(final Swarm swarm)
    {
        for (int i = 0; i < cookies.length; i++)
        {
            writer.leave(introducers.get(i), swarm.id(), cookies[i]);
        }
        for (final Peer member : swarm.members())
        {
            if (member.isConnected())
            {
                writer.leave(member.endpoint(), swarm.id(), 0);
            }
        }
    }

    /**
     * A pong from the introducer {@code index}: keeps its cookie, records that it is alive, and joins again at
     * once if it restarted (it forgot us).
     *
     * @return our public endpoint as this introducer observed it (valid until the next call).
     */
    Endpoint onPong(final long nowNs, final int index, final Endpoint source, final PingFlyweight pong)
    {
        cookies[index] = pong.token();
        Peer introducer = records[index];
        final Id32 senderId = pong.senderId();
        if (null == introducer || !introducer.id().equals(senderId))
        {
            // One record per configured address, outside the peer table: two addresses of one node share an id
            // but not a restart epoch, and one shared record saw a "restart" at every pong and rejoined each time.
            introducer = new Peer(senderId, nowNs);
            introducer.introducer(true);
            introducer.sentTo(nowNs);
            introducer.endpoint().set(source);
            records[index] = introducer;
        }
        introducer.heardFrom(nowNs);
        introducer.nat(NatType.STATIC);
        pong.readObserved(observed);
        if (introducer.updateRestartEpoch(pong.restartEpoch()))
        {
            counters.increment(EngineCounters.Type.RESTARTS_SEEN);
            joinAll(nowNs);
        }
        return observed;
    }
}
