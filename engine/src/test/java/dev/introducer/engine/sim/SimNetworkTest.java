package dev.introducer.engine.sim;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.host.Transport.MAIN_SOCKET;
import static dev.introducer.engine.sim.RecordingApplication.sendText;
import static dev.introducer.engine.sim.SimNetwork.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The internet itself: routing between public hosts, latency, loss, the send hook, counters, event order and
 * determinism. Ports of netsim's network-level tests.
 */
class SimNetworkTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final int A = ipv4("198.18.0.1");
    private static final int B = ipv4("198.18.0.2");
    private static final int C = ipv4("198.18.0.3");

    private final SimNetwork network = new SimNetwork(1);

    @Test
    @DisplayName("echo")
    void echo()
    {
        final RecordingApplication echo = RecordingApplication.echo();
        network.addHost(A).mainPort(10).start(echo);
        final RecordingApplication client = new RecordingApplication()
            .whenStarted(context -> sendText(context, MAIN_SOCKET, Endpoint.ipv4(A, 10), "hello"));
        network.addHost(B).mainPort(1).start(client);

        assertTrue(network.runUntilIdle(SECOND));

        assertEquals(List.of("hello"), echo.texts());
        assertEquals(Endpoint.ipv4(B, 1), echo.received().get(0).source());
        final RecordingApplication.Received reply = client.received().get(0);
        assertEquals("hello", reply.text());
        assertEquals(MAIN_SOCKET, reply.socketId());
        assertEquals(Endpoint.ipv4(A, 10), reply.source());
        assertTrue(reply.timeNs() >= echo.received().get(0).timeNs());
        assertTrue(reply.timeNs() <= 2 * SimNetwork.DEFAULT_MAX_LATENCY_NS, "two hops of at most 1 ms");
    }

    @Test
    @DisplayName("echo relay")
    void echoRelay()
    {
        // B asks relay C to forward "hello" to A; A answers through C, which forwards back to B.
        final RecordingApplication relay = new RecordingApplication().whenReceived(
            (context, datagram) ->
            {
                final int bar = datagram.text().indexOf('|');
                sendText(context, datagram.socketId(), Endpoint.parse(datagram.text().substring(0, bar)),
                    datagram.text().substring(bar + 1));
            });
        network.addHost(C).mainPort(3).start(relay);
        final RecordingApplication a = new RecordingApplication().whenReceived(
            (context, datagram) -> sendText(context, MAIN_SOCKET, datagram.source(),
                Endpoint.ipv4(B, 1) + "|" + datagram.text()));
        network.addHost(A).mainPort(10).start(a);
        final RecordingApplication b = new RecordingApplication().whenStarted(
            context -> sendText(context, MAIN_SOCKET, Endpoint.ipv4(C, 3), Endpoint.ipv4(A, 10) + "|hello"));
        network.addHost(B).mainPort(1).start(b);

        assertTrue(network.runUntilIdle(SECOND));

        assertEquals(List.of("hello"), a.texts());
        assertEquals(Endpoint.ipv4(C, 3), a.received().get(0).source());
        assertEquals(List.of("hello"), b.texts());
        assertEquals(Endpoint.ipv4(C, 3), b.received().get(0).source());
        assertTrue(b.received().get(0).timeNs() >= a.received().get(0).timeNs(), "time only moves forward");
        assertEquals(2, relay.received().size());
    }

    @Test
    @DisplayName("drop packets randomly")
    void dropPacketsRandomly()
    {
        network.lossRate(0.1);
        final RecordingApplication receiver = new RecordingApplication();
        network.addHost(A).start(receiver);
        final SimHost sender = network.addHost(B);

        for (int i = 0; i < 1000; i++)
        {
            sendText(sender, MAIN_SOCKET, Endpoint.ipv4(A, SimHost.DEFAULT_MAIN_PORT), "m" + i);
        }
        assertTrue(network.runUntilIdle(SECOND));

        final int received = receiver.received().size();
        assertTrue(received > 850 && received < 950, "received " + received);
        assertEquals(1000 - received, network.counters().dropped(SimDropReason.LOSS));
    }

    @Test
    @DisplayName("per-node drop")
    void perHostDrop()
    {
        final RecordingApplication receiver = new RecordingApplication();
        network.addHost(A).start(receiver);
        final SimHost sender = network.addHost(B).lossRate(0.5);

        for (int i = 0; i < 1000; i++)
        {
            sendText(sender, MAIN_SOCKET, Endpoint.ipv4(A, SimHost.DEFAULT_MAIN_PORT), "m" + i);
        }
        assertTrue(network.runUntilIdle(SECOND));

        final int received = receiver.received().size();
        assertTrue(received >= 450 && received <= 550, "received " + received);
    }

    @Test
    @DisplayName("on_send event")
    void onSendSeesTheInternetView()
    {
        final List<String> seen = new ArrayList<>();
        network.onSend((nowNs, source, destination, buffer, offset, length) ->
            seen.add(source + ">" + destination + ":" + RecordingApplication.text(buffer, offset, length)));
        network.addHost(A, RecordingApplication.echo());
        final SimNat nat = network.addNat(B, SimNatType.PORT_RESTRICTED);
        final SimHost inside = nat.addHost(ipv4("10.0.0.2"));
        final Endpoint server = Endpoint.ipv4(A, SimHost.DEFAULT_MAIN_PORT);
        inside.start(new RecordingApplication().whenStarted(context -> sendText(context, MAIN_SOCKET, server, "x")));

        assertTrue(network.runUntilIdle(SECOND));

        final int mapped = nat.mappedPort(inside.ipv4(), SimHost.DEFAULT_MAIN_PORT, server);
        final Endpoint outside = Endpoint.ipv4(B, mapped);
        assertEquals(List.of(outside + ">" + server + ":x", server + ">" + outside + ":x"), seen);
    }

    @Test
    @DisplayName("sending nowhere is dropped and counted, never thrown")
    void sendingToUnknownAddressesIsDropped()
    {
        final SimHost host = network.addHost(A);
        final SimNat otherNat = network.addNat(B, SimNatType.FULL_CONE);
        final int otherPrivate = ipv4("10.0.0.9");
        otherNat.addHost(otherPrivate, new RecordingApplication());

        assertTrue(sendText(host, MAIN_SOCKET, Endpoint.ipv4(ipv4("198.19.9.9"), 1000), "unknown public"));
        assertTrue(sendText(host, MAIN_SOCKET, Endpoint.ipv4(otherPrivate, 3456), "another NAT's private"));
        assertFalse(sendText(host, MAIN_SOCKET, new Endpoint(), "no address"));
        assertFalse(sendText(host, 42, Endpoint.ipv4(B, 1), "unknown socket"));
        assertTrue(network.runUntilIdle(SECOND));

        assertEquals(3, network.counters().sent());
        assertEquals(3, network.counters().dropped(SimDropReason.NO_ROUTE));
    }

    @Test
    @DisplayName("every datagram sent is delivered or dropped for one reason")
    void countersBalance()
    {
        network.lossRate(0.2);
        final RecordingApplication receiver = new RecordingApplication();
        network.addHost(A).start(receiver);
        final SimHost sender = network.addHost(B);
        for (int i = 0; i < 200; i++)
        {
            sendText(sender, MAIN_SOCKET, Endpoint.ipv4(A, i % 2 == 0 ? SimHost.DEFAULT_MAIN_PORT : 9), "m");
        }
        assertTrue(network.runUntilIdle(SECOND));

        final SimCounters counters = network.counters();
        assertEquals(200, counters.sent());
        assertEquals(counters.sent(), counters.delivered() + counters.dropped(), counters.toString());
        assertEquals(receiver.received().size(), counters.delivered());
        assertTrue(counters.dropped(SimDropReason.NO_SOCKET) > 0);
    }

    @Test
    @DisplayName("events at the same time run in the order scheduled")
    void equalTimeEventsAreFirstInFirstOut()
    {
        final List<String> order = new ArrayList<>();
        network.schedule(5 * MS, () -> order.add("first at 5"));
        network.schedule(5 * MS, () -> order.add("second at 5"));
        network.schedule(3 * MS, () -> order.add("at 3"));
        network.schedule(5 * MS, () ->
        {
            order.add("third at 5");
            network.scheduleAfter(0, () -> order.add("scheduled at 5 from 5"));
        });
        network.schedule(5 * MS + 1, () -> order.add("at 5 ms + 1 ns"));

        network.runUntil(10 * MS);

        assertEquals(
            List.of("at 3", "first at 5", "second at 5", "third at 5", "scheduled at 5 from 5", "at 5 ms + 1 ns"),
            order);
        assertEquals(10 * MS, network.now());
    }

    @Test
    @DisplayName("runs are bounded by time and by condition")
    void runsAreBounded()
    {
        final int[] ticks = new int[1];
        final Runnable[] tick = new Runnable[1];
        tick[0] = () ->
        {
            ticks[0]++;
            network.scheduleAfter(MS, tick[0]);
        };
        network.schedule(0, tick[0]);

        assertTrue(network.runUntil(() -> ticks[0] == 5, SECOND));
        assertEquals(4 * MS, network.now(), "stops at the event that made it true");

        assertFalse(network.runUntil(() -> ticks[0] == 1_000_000, 100 * MS));
        assertEquals(100 * MS, network.now(), "stops at the limit");

        network.runFor(50 * MS);
        assertEquals(150 * MS, network.now());
        assertEquals(151, ticks[0]);
        assertFalse(network.runUntilIdle(200 * MS), "a periodic timer never lets it go idle");
    }

    @Test
    @DisplayName("same seed, same run; another seed, another run")
    void determinism()
    {
        final List<String> first = DeterminismScenario.trace(42);
        final List<String> again = DeterminismScenario.trace(42);
        final List<String> other = DeterminismScenario.trace(43);

        assertTrue(first.size() > 100, "the scenario does something: " + first.size());
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    @DisplayName("hosts and NATs cannot share an address")
    void addressesAreUnique()
    {
        network.addHost(A);
        network.addNat(B, SimNatType.SYMMETRIC);
        assertThrows(IllegalArgumentException.class, () -> network.addNat(A, SimNatType.FULL_CONE));
        assertThrows(IllegalArgumentException.class, () -> network.addHost(B));
    }
}
