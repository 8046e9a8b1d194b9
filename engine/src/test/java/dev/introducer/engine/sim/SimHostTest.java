package dev.introducer.engine.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.host.Transport.MAIN_SOCKET;
import static dev.introducer.engine.host.Transport.NO_SOCKET;
import static dev.introducer.engine.sim.RecordingApplication.sendText;
import static dev.introducer.engine.sim.SimNetwork.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host as the engine core sees it: its transport (sockets, budget, copies), its scheduler, sleeping and
 * moving. Ports of netsim's node tests.
 */
class SimHostTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final int PORT = SimHost.DEFAULT_MAIN_PORT;
    private static final int ECHO = ipv4("198.18.1.2");
    private static final int HOST = ipv4("198.18.5.6");

    private final SimNetwork network = new SimNetwork(3);

    @Test
    @DisplayName("an application starts once, at the current time, seeing its local endpoint")
    void startsOnce()
    {
        network.runUntil(5 * MS);
        final RecordingApplication application = new RecordingApplication();
        final SimHost host = network.addNat(ECHO, SimNatType.SYMMETRIC).addHost(ipv4("10.1.2.3")).start(application);
        network.runUntil(10 * MS);

        assertEquals(5 * MS, application.startedAtNs());
        assertEquals(Endpoint.ipv4(ipv4("10.1.2.3"), PORT), host.localEndpoint(new Endpoint()));
        assertEquals(host, application.context());
    }

    @Test
    @DisplayName("timers, and iterateUntil")
    void timersFire()
    {
        final RecordingApplication application = new RecordingApplication()
            .whenStarted(context -> context.wakeAt(10 * MS))
            .whenTimer((context, nowNs) -> context.wakeAt(nowNs + 100 * MS));
        network.addHost(HOST, application);

        network.runUntil(1000 * MS);

        assertEquals(10, application.timerCalls());
    }

    @Test
    @DisplayName("only the earliest wake is kept, and one in the past fires at once")
    void wakeAtKeepsTheEarliest()
    {
        final List<Long> firedAt = new ArrayList<>();
        final RecordingApplication application = new RecordingApplication()
            .whenStarted(context ->
            {
                context.wakeAt(300 * MS);
                context.wakeAt(100 * MS);
                context.wakeAt(100 * MS);
                context.wakeAt(200 * MS);
            })
            .whenTimer((context, nowNs) -> firedAt.add(nowNs / MS));
        network.addHost(HOST, application);
        network.runUntil(SECOND);
        assertEquals(List.of(100L), firedAt);

        application.context().wakeAt(0);
        network.runUntil(SECOND);
        assertEquals(List.of(100L, 1000L), firedAt);
    }

    @Test
    @DisplayName("sleeping while timer")
    void sleepingDefersTheTimerToWakeTime()
    {
        network.addHost(ECHO, RecordingApplication.echo());
        final Endpoint echo = Endpoint.ipv4(ECHO, PORT);
        final int[] sent = new int[1];
        final RecordingApplication application = new RecordingApplication()
            .whenStarted(context -> context.wakeAt(100 * MS))
            .whenTimer((context, nowNs) ->
            {
                sendText(context, MAIN_SOCKET, echo, "hello_" + ++sent[0] + "__" + nowNs / MS);
                context.wakeAt(nowNs + 100 * MS);
            });
        final SimHost host = network.addHost(HOST, application);
        network.schedule(250 * MS, () -> host.sleep(true));
        network.schedule(750 * MS, () -> host.sleep(false));

        network.runUntil(1000 * MS);

        assertEquals(List.of("hello_1__100", "hello_2__200", "hello_3__750", "hello_4__850", "hello_5__950"),
            application.texts());
    }

    @Test
    @DisplayName("sleeping while receiving")
    void sleepingDropsWhatArrives()
    {
        final Endpoint sleeper = Endpoint.ipv4(HOST, PORT);
        final int[] sent = new int[1];
        network.addHost(ECHO, new RecordingApplication()
            .whenStarted(context -> context.wakeAt(100 * MS))
            .whenTimer((context, nowNs) ->
            {
                sendText(context, MAIN_SOCKET, sleeper, "hello_" + ++sent[0] + "__" + nowNs / MS);
                context.wakeAt(nowNs + 100 * MS);
            }));
        final RecordingApplication application = new RecordingApplication();
        final SimHost host = network.addHost(HOST, application);
        network.schedule(250 * MS, () -> host.sleep(true));
        network.schedule(750 * MS, () -> host.sleep(false));

        network.runUntil(990 * MS);

        assertEquals(List.of("hello_1__100", "hello_2__200", "hello_8__800", "hello_9__900"), application.texts());
        assertEquals(5, network.counters().dropped(SimDropReason.ASLEEP));
        assertFalse(host.isSleeping());
    }

    @Test
    @DisplayName("a sleeping host sends nothing")
    void sleepingDropsWhatIsSent()
    {
        final RecordingApplication echo = RecordingApplication.echo();
        network.addHost(ECHO, echo);
        final SimHost host = network.addHost(HOST, new RecordingApplication());
        network.runFor(MS);
        host.sleep(true);

        assertFalse(sendText(host, MAIN_SOCKET, Endpoint.ipv4(ECHO, PORT), "zzz"));
        network.runFor(SECOND);

        assertEquals(0, echo.received().size());
        assertEquals(1, network.counters().dropped(SimDropReason.ASLEEP));
    }

    @Test
    @DisplayName("spray sockets get distinct random ports, small ids, and a budget")
    void socketBudget()
    {
        final SimHost host = network.addHost(HOST).socketBudget(3);

        final int first = host.openSocket();
        final int second = host.openSocket();
        final int third = host.openSocket();
        assertEquals(List.of(1, 2, 3), List.of(first, second, third));
        assertEquals(NO_SOCKET, host.openSocket(), "budget exhausted");
        final Set<Integer> ports = new HashSet<>(List.of(PORT, host.localPort(first), host.localPort(second),
            host.localPort(third)));
        assertEquals(4, ports.size());

        host.closeSocket(second);
        host.closeSocket(second);
        host.closeSocket(MAIN_SOCKET);
        host.closeSocket(99);
        assertEquals(3, host.openSockets(), "main stays open; unknown ids are ignored");
        assertFalse(sendText(host, second, Endpoint.ipv4(ECHO, PORT), "from a closed socket"));
        assertEquals(second, host.openSocket(), "the lowest free id is reused");
        assertEquals(NO_SOCKET, host.openSocket());
    }

    @Test
    @DisplayName("each socket receives what is sent to its port; a closed port drops")
    void datagramsArriveOnTheirSocket()
    {
        final RecordingApplication application = new RecordingApplication();
        final SimHost host = network.addHost(HOST, application);
        final SimHost sender = network.addHost(ECHO);
        network.runFor(MS);
        final int spray = host.openSocket();
        final int closed = host.openSocket();
        final int closedPort = host.localPort(closed);
        host.closeSocket(closed);

        sendText(sender, MAIN_SOCKET, Endpoint.ipv4(HOST, host.localPort(spray)), "to spray");
        sendText(sender, MAIN_SOCKET, Endpoint.ipv4(HOST, closedPort), "to closed");
        network.runFor(SECOND);

        assertEquals(List.of("to spray"), application.texts());
        assertEquals(spray, application.received().get(0).socketId());
        assertEquals(1, network.counters().dropped(SimDropReason.NO_SOCKET));
    }

    @Test
    @DisplayName("send copies the bytes, so the caller may reuse its buffer")
    void sendCopies()
    {
        final RecordingApplication application = new RecordingApplication();
        network.addHost(HOST, application);
        final SimHost sender = network.addHost(ECHO);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[5]);

        buffer.putStringWithoutLengthAscii(0, "first");
        sender.send(MAIN_SOCKET, Endpoint.ipv4(HOST, PORT), buffer, 0, 5);
        buffer.putStringWithoutLengthAscii(0, "later");
        network.runFor(SECOND);

        assertEquals(List.of("first"), application.texts());
    }

    @Test
    @DisplayName("moving a host changes its local endpoint and its public mapping")
    void moving()
    {
        final RecordingApplication echo = RecordingApplication.echo();
        network.addHost(ECHO, echo);
        final Endpoint server = Endpoint.ipv4(ECHO, PORT);
        final SimNat home = network.addNat(ipv4("198.18.2.1"), SimNatType.PORT_RESTRICTED);
        final SimNat cafe = network.addNat(ipv4("198.18.2.2"), SimNatType.PORT_RESTRICTED);
        final RecordingApplication application = new RecordingApplication();
        final SimHost host = home.addHost(ipv4("192.168.1.10")).start(application);
        network.runFor(MS);
        final int spray = host.openSocket();
        final int sprayPort = host.localPort(spray);

        sendText(host, MAIN_SOCKET, server, "from home");
        network.runFor(SECOND);
        final Endpoint atHome = echo.received().get(0).source().copy();
        assertEquals(home.publicIpv4(), atHome.ipv4());

        host.moveTo(cafe, ipv4("10.0.0.80"));
        assertEquals(Endpoint.ipv4(ipv4("10.0.0.80"), PORT), host.localEndpoint(new Endpoint()));
        assertEquals(cafe, host.subnet());
        assertEquals(sprayPort, host.localPort(spray), "sockets keep their ports");
        assertEquals(null, home.host(ipv4("192.168.1.10")));

        sendText(host, MAIN_SOCKET, server, "from the cafe");
        network.runFor(SECOND);
        assertEquals(cafe.publicIpv4(), echo.received().get(1).source().ipv4());
        assertEquals(List.of("from home", "from the cafe"), application.texts());

        // The old mapping still exists at home, but leads nowhere.
        sendText(network.host(ECHO), MAIN_SOCKET, atHome, "to the old mapping");
        network.runFor(SECOND);
        assertEquals(2, application.received().size());
        assertEquals(1, network.counters().dropped(SimDropReason.NO_ROUTE));

        host.moveTo(network, HOST);
        sendText(host, MAIN_SOCKET, server, "from the internet");
        network.runFor(SECOND);
        assertEquals(Endpoint.ipv4(HOST, PORT), echo.received().get(2).source());
        assertNotEquals(atHome, echo.received().get(2).source());
    }

    @Test
    @DisplayName("a host's generator is derived from the seed")
    void hostRandomIsSeeded()
    {
        final long first = new SimNetwork(9).addHost(HOST).random().nextLong();
        final long again = new SimNetwork(9).addHost(HOST).random().nextLong();
        final long other = new SimNetwork(10).addHost(HOST).random().nextLong();

        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(network.addHost(HOST).random() != network.random());
    }
}
