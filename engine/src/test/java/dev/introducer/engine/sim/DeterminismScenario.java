package dev.introducer.engine.sim;

import java.util.ArrayList;
import java.util.List;

import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.host.Transport.MAIN_SOCKET;
import static dev.introducer.engine.sim.RecordingApplication.sendText;
import static dev.introducer.engine.sim.SimNetwork.ipv4;

/**
 * A busy little network (NATs of every kind, loss, spray sockets, timers driven by the hosts' own generators)
 * whose full trace, sends and deliveries, is compared across seeds.
 */
final class DeterminismScenario
{
    private static final long MS = 1_000_000L;

    private DeterminismScenario()
    {
    }

    static List<String> trace(final long seed)
    {
        final List<String> trace = new ArrayList<>();
        final SimNetwork network = new SimNetwork(seed).lossRate(0.2);
        network.onSend((nowNs, source, destination, buffer, offset, length) ->
            trace.add(nowNs + " send " + source + ">" + destination + " " +
                RecordingApplication.text(buffer, offset, length)));

        final Endpoint server = Endpoint.ipv4(ipv4("198.18.0.1"), SimHost.DEFAULT_MAIN_PORT);
        network.addHost(server.ipv4(), new RecordingApplication().whenReceived((context, datagram) ->
        {
            record(trace, "server", datagram);
            sendText(context, datagram.socketId(), datagram.source(), datagram.source().toString());
        }));

        final SimNatType[] types = SimNatType.values();
        for (int i = 0; i < types.length; i++)
        {
            final SimNat nat = network.addNat(ipv4("198.18.1." + (i + 1)), types[i]);
            final String name = types[i].name();
            nat.addHost(ipv4("10.0.0.2"), chatty(server).whenReceived((context, datagram) ->
                record(trace, name, datagram)));
        }
        network.runUntil(2_000 * MS);
        trace.add(network.counters().toString());
        return trace;
    }

    /**
     * Every 10..100 ms (from its own generator) sends to the server from the main socket or a new spray socket.
     */
    private static RecordingApplication chatty(final Endpoint server)
    {
        final RecordingApplication.TimerReaction chat = (context, nowNs) ->
        {
            final int socketId = context.random().nextBoolean() ? MAIN_SOCKET : context.openSocket();
            sendText(context, socketId, server, "t" + nowNs);
            context.wakeAt(nowNs + (10 + context.random().nextInt(91)) * MS);
        };
        return new RecordingApplication().whenStarted(context -> context.wakeAt(context.nowNs())).whenTimer(chat);
    }

    private static void record(
        final List<String> trace, final String name, final RecordingApplication.Received datagram)
    {
        trace.add(datagram.timeNs() + " " + name + " got " + datagram.text() + " from " + datagram.source() +
            " on " + datagram.socketId());
    }
}
