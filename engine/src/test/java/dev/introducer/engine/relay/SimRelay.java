package dev.introducer.engine.relay;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;

import dev.introducer.engine.sim.SimApplication;
import dev.introducer.engine.sim.SimSocketContext;
import dev.introducer.protocol.Endpoint;

/**
 * The relay core on a simulated host.
 */
final class SimRelay implements SimApplication
{
    private final RelayConfiguration configuration;
    private final EpochClock epochClock;
    private RelayCore core;

    SimRelay(final RelayConfiguration configuration, final EpochClock epochClock)
    {
        this.configuration = configuration;
        this.epochClock = epochClock;
    }

    RelayCore core()
    {
        return core;
    }

    public void onStart(final SimSocketContext context, final long nowNs)
    {
        core = new RelayCore(configuration, context, context, epochClock, context.random());
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
}
