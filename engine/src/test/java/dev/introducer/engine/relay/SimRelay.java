package dev.introducer.engine.relay;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.host.Transport;
import dev.introducer.engine.sim.SimApplication;
import dev.introducer.engine.sim.SimNetwork;
import dev.introducer.engine.sim.SimSocketContext;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameHeader;
import dev.introducer.protocol.MessageType;

/**
 * The relay core on a simulated host. It can hold back its answers to binds ({@code RELAY_BIND_ACK}) sent to one
 * address, to make two relays answer two peers in opposite orders.
 */
final class SimRelay implements SimApplication
{
    private final RelayConfiguration configuration;
    private final EpochClock epochClock;
    private RelayCore core;
    private SimNetwork network;
    private int delayedIpv4;
    private long ackDelayNs;

    SimRelay(final RelayConfiguration configuration, final EpochClock epochClock)
    {
        this.configuration = configuration;
        this.epochClock = epochClock;
    }

    /**
     * Holds back every answer to a bind sent to one address (a NAT's public address) by a delay; data and the
     * answers to other addresses go at once. Call before the relay's host starts.
     */
    SimRelay delayAcksTo(final SimNetwork network, final int ipv4, final long delayNs)
    {
        this.network = network;
        this.delayedIpv4 = ipv4;
        this.ackDelayNs = delayNs;
        return this;
    }

    RelayCore core()
    {
        return core;
    }

    public void onStart(final SimSocketContext context, final long nowNs)
    {
        final Transport transport = null == network ? context : new DelayingTransport(context);
        core = new RelayCore(configuration, transport, context, epochClock, context.random());
        core.start(nowNs);
    }

    public void onDatagram(final long nowNs, final int socketId, final Endpoint source,
        final MutableDirectBuffer buffer, final int offset, final int length)
    {
        core.onDatagram(nowNs, socketId, source, buffer, offset, length);
    }

    public void onTimer(final long nowNs)
    {
        core.onTimer(nowNs);
    }

    private final class DelayingTransport implements Transport
    {
        private final SimSocketContext context;

        DelayingTransport(final SimSocketContext context)
        {
            this.context = context;
        }

        public boolean send(
            final int socketId, final Endpoint destination, final DirectBuffer buffer, final int offset,
            final int length)
        {
            if (destination.ipv4() != delayedIpv4 || FrameHeader.type(buffer, offset) != MessageType.RELAY_BIND_ACK)
            {
                return context.send(socketId, destination, buffer, offset, length);
            }
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
            copy.putBytes(0, buffer, offset, length);
            final Endpoint to = destination.copy();
            network.scheduleAfter(ackDelayNs, () -> context.send(socketId, to, copy, 0, length));
            return true;
        }

        public int openSocket()
        {
            return context.openSocket();
        }

        public void closeSocket(final int socketId)
        {
            context.closeSocket(socketId);
        }

        public Endpoint localEndpoint(final Endpoint into)
        {
            return context.localEndpoint(into);
        }
    }
}
