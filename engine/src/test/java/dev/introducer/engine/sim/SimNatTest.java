package dev.introducer.engine.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.introducer.protocol.Endpoint;

import static dev.introducer.engine.host.Transport.MAIN_SOCKET;
import static dev.introducer.engine.host.Transport.NO_SOCKET;
import static dev.introducer.engine.sim.RecordingApplication.sendText;
import static dev.introducer.engine.sim.SimNetwork.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAT behaviour: translation, filtering, the filtering timeout, hairpinning and the birthday-paradox punch.
 * Ports of netsim's NAT tests.
 */
class SimNatTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final int PORT = SimHost.DEFAULT_MAIN_PORT;
    private static final int SERVER = ipv4("198.18.0.100");
    private static final int NAT_A = ipv4("198.18.1.1");
    private static final int NAT_B = ipv4("198.18.2.1");
    private static final int HOST_A = ipv4("10.0.0.2");
    private static final int HOST_B = ipv4("10.0.0.3");

    private final SimNetwork network = new SimNetwork(7);

    @Test
    @DisplayName("nat")
    void natTranslatesTheSource()
    {
        final RecordingApplication echo = RecordingApplication.echo();
        network.addHost(SERVER).mainPort(10).start(echo);
        final SimNat nat = network.addNat(NAT_A, SimNatType.FULL_CONE);
        final RecordingApplication inside = new RecordingApplication().whenStarted(
            context -> sendText(context, MAIN_SOCKET, Endpoint.ipv4(SERVER, 10), "HELLO FROM SUBNET"));
        nat.addHost(HOST_A).mainPort(1).start(inside);

        assertTrue(network.runUntilIdle(SECOND));

        final Endpoint seenByServer = echo.received().get(0).source();
        assertEquals(Endpoint.ipv4(NAT_A, nat.mappedPort(HOST_A, 1, Endpoint.ipv4(SERVER, 10))), seenByServer);
        assertNotEquals(1, seenByServer.port());
        assertEquals(List.of("HELLO FROM SUBNET"), inside.texts());
        assertEquals(Endpoint.ipv4(SERVER, 10), inside.received().get(0).source(), "inside sees the real remote");
    }

    @Test
    @DisplayName("nat must be opened by outgoing messages")
    void natMustBeOpenedByOutgoingMessages()
    {
        network.addHost(SERVER).mainPort(1).start(new RecordingApplication()
            .whenStarted(context -> sendText(context, MAIN_SOCKET, Endpoint.ipv4(NAT_A, 1), "ANYONE HOME?")));
        final RecordingApplication inside = new RecordingApplication();
        network.addNat(NAT_A, SimNatType.FULL_CONE).addHost(HOST_A).mainPort(1).start(inside);

        assertTrue(network.runUntilIdle(SECOND));

        assertEquals(List.of(), inside.received());
        assertEquals(1, network.counters().dropped(SimDropReason.FILTERED));
    }

    @Test
    @DisplayName("nat (no firewall) must be opened by outgoing messages")
    void fullConeLetsAnyoneUseAnOpenedPort()
    {
        network.addHost(SERVER).mainPort(1).start(RecordingApplication.addressEcho());
        final RecordingApplication alice = new RecordingApplication();
        final SimHost a = network.addNat(NAT_A, SimNatType.FULL_CONE).addHost(HOST_A).start(alice);
        final RecordingApplication bob = new RecordingApplication();
        final SimHost b = network.addNat(NAT_B, SimNatType.FULL_CONE).addHost(HOST_B).start(bob);
        network.runFor(MS);

        // Alice opens a port by asking the rendezvous server for her public endpoint.
        sendText(a, MAIN_SOCKET, Endpoint.ipv4(SERVER, 1), "A->C");
        network.runUntilIdle(SECOND);
        final Endpoint alicePublic = Endpoint.parse(alice.received().remove(0).text());
        assertEquals(NAT_A, alicePublic.ipv4());
        assertNotEquals(PORT, alicePublic.port());

        // Bob was never contacted by Alice, yet gets in: only the port is checked.
        sendText(b, MAIN_SOCKET, alicePublic, "B-(holepunch)->A");
        network.runUntilIdle(SECOND);
        final RecordingApplication.Received punch = alice.received().remove(0);
        assertEquals("B-(holepunch)->A", punch.text());
        assertEquals(NAT_B, punch.source().ipv4());
        assertNotEquals(PORT, punch.source().port());
    }

    @Test
    @DisplayName("nat (with firewall) must be opened by outgoing messages direct to peer")
    void portRestrictedNeedsAPunchFromEachSide()
    {
        network.addHost(SERVER).mainPort(1).start(RecordingApplication.addressEcho().whenStarted(
            context -> sendText(context, MAIN_SOCKET, Endpoint.ipv4(NAT_B, 1), "ANYONE HOME?")));
        final SimNat natA = network.addNat(NAT_A, SimNatType.PORT_RESTRICTED);
        final SimNat natB = network.addNat(NAT_B, SimNatType.PORT_RESTRICTED);
        final RecordingApplication alice = new RecordingApplication();
        final SimHost a = natA.addHost(HOST_A).mainPort(10).start(alice);
        final RecordingApplication bob = new RecordingApplication();
        final SimHost b = natB.addHost(HOST_B).mainPort(10).start(bob);
        network.runUntilIdle(SECOND);
        assertEquals(0, bob.received().size(), "the firewall is not open yet");

        sendText(a, MAIN_SOCKET, Endpoint.ipv4(SERVER, 1), "A->C");
        sendText(b, MAIN_SOCKET, Endpoint.ipv4(SERVER, 1), "B->C");
        network.runUntilIdle(SECOND);
        final Endpoint alicePublic = Endpoint.parse(alice.received().remove(0).text());
        final Endpoint bobPublic = Endpoint.parse(bob.received().remove(0).text());
        assertEquals(NAT_A, alicePublic.ipv4());
        assertEquals(1, natB.filterCount());

        // Bob's punch is refused by Alice's firewall but opens his own for her.
        sendText(b, MAIN_SOCKET, alicePublic, "B-(holepunch)->A");
        network.runUntilIdle(SECOND);
        assertEquals(0, alice.received().size());
        assertEquals(0, bob.received().size());
        assertEquals(2, natB.filterCount());

        sendText(a, MAIN_SOCKET, bobPublic, "A-(holepunch)->B");
        network.runUntilIdle(SECOND);
        assertEquals(List.of("A-(holepunch)->B"), bob.texts());

        sendText(b, MAIN_SOCKET, alicePublic, "B-(holepunch)->A");
        network.runUntilIdle(SECOND);
        assertEquals(List.of("B-(holepunch)->A"), alice.texts());
    }

    @Test
    @DisplayName("one side dependent nat requires birthday paradox")
    void birthdayParadoxPunch()
    {
        final int sockets = 64;
        network.addHost(SERVER).mainPort(1).start(RecordingApplication.addressEcho());
        final RecordingApplication easy = new RecordingApplication();
        final SimHost a = network.addNat(NAT_A, SimNatType.PORT_RESTRICTED).addHost(HOST_A).mainPort(10).start(easy);
        final RecordingApplication hard = new RecordingApplication();
        final SimHost b = network.addNat(NAT_B, SimNatType.SYMMETRIC).addHost(HOST_B).start(hard);
        network.runFor(MS);

        sendText(a, MAIN_SOCKET, Endpoint.ipv4(SERVER, 1), "A->C");
        network.runUntilIdle(SECOND);
        final Endpoint easyPublic = Endpoint.parse(easy.received().remove(0).text());

        // The hard side sends from many sockets: each gets its own external port, and opens the filter to A.
        for (int i = 0; i < sockets; i++)
        {
            final int socketId = b.openSocket();
            assertNotEquals(NO_SOCKET, socketId);
            sendText(b, socketId, easyPublic, "B-(hb:holepunch)->A");
        }
        network.runUntilIdle(SECOND);
        assertEquals(0, easy.received().size(), "A's firewall refuses them");

        // The easy side guesses external ports of the hard NAT until one of them is mapped.
        final SplittableRandom guesses = network.random().split();
        final Set<Integer> tried = new HashSet<>();
        int rounds = 0;
        while (hard.received().isEmpty() && rounds < 200)
        {
            rounds++;
            for (int i = 0; i < sockets; i++)
            {
                int port;
                do
                {
                    port = SimNat.MIN_EXTERNAL_PORT + guesses.nextInt(SimNat.MAX_EXTERNAL_PORT - 1023);
                }
                while (!tried.add(port));
                sendText(a, MAIN_SOCKET, Endpoint.ipv4(NAT_B, port), "probe");
            }
            network.runUntilIdle(network.now() + SECOND);
        }
        assertTrue(rounds < 200, "connected after " + rounds + " rounds of " + sockets);

        for (final RecordingApplication.Received probe : hard.received())
        {
            assertEquals(easyPublic, probe.source());
            sendText(b, probe.socketId(), probe.source(), "echo:" + probe.text());
        }
        network.runUntilIdle(network.now() + SECOND);
        assertEquals(hard.received().size(), easy.received().size());
        assertEquals("echo:probe", easy.received().get(0).text());
    }

    static Stream<Arguments> hairpinningCases()
    {
        return Stream.of(
            Arguments.of(SimNatType.FULL_CONE, true),
            Arguments.of(SimNatType.PORT_RESTRICTED, true),
            Arguments.of(SimNatType.FULL_CONE, false),
            Arguments.of(SimNatType.PORT_RESTRICTED, false),
            Arguments.of(SimNatType.SYMMETRIC, false));
    }

    @ParameterizedTest(name = "hairpinning nat:{0} supported={1}")
    @MethodSource("hairpinningCases")
    void hairpinning(final SimNatType type, final boolean supported)
    {
        final int natAddress = ipv4("198.18.2.0");
        network.addHost(ipv4("198.18.5.5")).mainPort(1000).start(RecordingApplication.addressEcho());
        final SimNat nat = network.addNat(natAddress, type).hairpinning(supported);
        final RecordingApplication alice = new RecordingApplication();
        final SimHost a = nat.addHost(ipv4("192.168.3.4")).mainPort(1000).start(alice);
        final RecordingApplication bob = new RecordingApplication();
        final SimHost b = nat.addHost(ipv4("192.168.5.6")).mainPort(1000).start(bob);
        network.runFor(MS);

        sendText(a, MAIN_SOCKET, Endpoint.ipv4(ipv4("198.18.5.5"), 1000), "hello1");
        sendText(b, MAIN_SOCKET, Endpoint.ipv4(ipv4("198.18.5.5"), 1000), "hello2");
        network.runUntilIdle(SECOND);
        final Endpoint alicePublic = Endpoint.parse(alice.received().remove(0).text());
        final Endpoint bobPublic = Endpoint.parse(bob.received().remove(0).text());
        assertEquals(natAddress, alicePublic.ipv4(), "echo returned A an external address");
        assertEquals(natAddress, bobPublic.ipv4(), "echo returned B an external address");

        sendText(a, MAIN_SOCKET, bobPublic, "hairpin?");
        sendText(b, MAIN_SOCKET, alicePublic, "hairpin?");
        network.runUntilIdle(SECOND);
        assertEquals(supported, alice.received().size() == 1, "received via hairpinning b->a");
        assertEquals(supported, bob.received().size() == 1, "received via hairpinning a->b");
        alice.received().clear();
        bob.received().clear();

        sendText(a, MAIN_SOCKET, Endpoint.ipv4(b.ipv4(), 1000), "direct");
        sendText(b, MAIN_SOCKET, Endpoint.ipv4(a.ipv4(), 1000), "direct");
        network.runUntilIdle(SECOND);
        assertEquals(List.of("direct"), alice.texts(), "direct to a private address always works");
        assertEquals(Endpoint.ipv4(b.ipv4(), 1000), alice.received().get(0).source(), "untranslated");
        assertEquals(List.of("direct"), bob.texts());
    }

    @Test
    @DisplayName("nat timeout")
    void filteringStateIsRefreshedBothWaysAndExpires()
    {
        final int echoAddress = ipv4("198.18.3.4");
        network.addHost(echoAddress).start(new DelayedEcho());
        final RecordingApplication inside = new RecordingApplication();
        final SimHost host = network.addNat(ipv4("198.18.7.8"), SimNatType.PORT_RESTRICTED).addHost(HOST_A)
            .start(inside);
        network.runFor(MS);
        final int second = host.openSocket();

        // Replies on one flow at 29 s then 31 s: the first refreshes the 30 s window, so both pass.
        sendText(host, MAIN_SOCKET, Endpoint.ipv4(echoAddress, PORT), "1:29000");
        sendText(host, MAIN_SOCKET, Endpoint.ipv4(echoAddress, PORT), "2:31000");
        // On another flow at 15 s then 46 s: 31 s after the last refresh is too late.
        sendText(host, second, Endpoint.ipv4(echoAddress, PORT), "3:15000");
        sendText(host, second, Endpoint.ipv4(echoAddress, PORT), "4:46000");
        network.runUntil(60 * SECOND);

        assertEquals(List.of("echo 3:15000", "echo 1:29000", "echo 2:31000"), inside.texts());
        assertEquals(1, network.counters().dropped(SimDropReason.FILTERED));
    }

    @Test
    @DisplayName("a full-cone port closes to everyone once idle past the filter timeout")
    void fullConeFilteringExpires()
    {
        network.addHost(SERVER).start(RecordingApplication.addressEcho());
        final RecordingApplication inside = new RecordingApplication();
        final SimHost host = network.addNat(NAT_A, SimNatType.FULL_CONE).filterTimeout(5 * SECOND)
            .addHost(HOST_A).start(inside);
        final SimHost stranger = network.addHost(ipv4("198.18.0.200"));
        network.runFor(MS);
        sendText(host, MAIN_SOCKET, Endpoint.ipv4(SERVER, PORT), "who am I?");
        network.runFor(SECOND);
        final Endpoint opened = Endpoint.parse(inside.received().remove(0).text());

        sendText(stranger, MAIN_SOCKET, opened, "within the timeout");
        network.runFor(4 * SECOND);
        // Over 5 s since the host last sent: only the stranger's own accepted datagram kept the port open.
        sendText(stranger, MAIN_SOCKET, opened, "refreshed by the last one");
        network.runFor(6 * SECOND);
        sendText(stranger, MAIN_SOCKET, opened, "too late");
        network.runFor(SECOND);

        assertEquals(List.of("within the timeout", "refreshed by the last one"), inside.texts());
        assertEquals(1, network.counters().dropped(SimDropReason.FILTERED));
    }

    @Test
    @DisplayName("with a mapping timeout, an idle flow comes back on a new external port")
    void mappingsCanExpire()
    {
        final RecordingApplication echo = RecordingApplication.echo();
        network.addHost(SERVER, echo);
        final SimNat nat = network.addNat(NAT_A, SimNatType.PORT_RESTRICTED).mappingTimeout(10 * SECOND);
        final SimHost host = nat.addHost(HOST_A);
        final Endpoint server = Endpoint.ipv4(SERVER, PORT);

        sendText(host, MAIN_SOCKET, server, "first");
        network.runFor(9 * SECOND);
        final int firstPort = nat.mappedPort(HOST_A, PORT, server);
        sendText(host, MAIN_SOCKET, server, "kept alive");
        network.runFor(11 * SECOND);
        sendText(host, MAIN_SOCKET, server, "after idling");
        network.runFor(SECOND);

        assertEquals(firstPort, echo.received().get(1).source().port());
        assertNotEquals(firstPort, echo.received().get(2).source().port());
        assertEquals(nat.mappedPort(HOST_A, PORT, server), echo.received().get(2).source().port());
        assertEquals(1, nat.mappingCount());
    }

    @Test
    @DisplayName("easy NATs keep one external port per socket, hard NATs take one per destination")
    void mappingBehaviour()
    {
        final Endpoint one = Endpoint.ipv4(ipv4("198.18.0.11"), PORT);
        final Endpoint two = Endpoint.ipv4(ipv4("198.18.0.12"), PORT);
        final RecordingApplication serverOne = RecordingApplication.echo();
        final RecordingApplication serverTwo = RecordingApplication.echo();
        network.addHost(one.ipv4(), serverOne);
        network.addHost(two.ipv4(), serverTwo);
        final SimHost easy = network.addNat(NAT_A, SimNatType.PORT_RESTRICTED).addHost(HOST_A);
        final SimHost hard = network.addNat(NAT_B, SimNatType.SYMMETRIC).addHost(HOST_A);

        for (final SimHost host : List.of(easy, hard))
        {
            sendText(host, MAIN_SOCKET, one, "x");
            sendText(host, MAIN_SOCKET, two, "x");
        }
        network.runUntilIdle(SECOND);

        assertEquals(sourceFrom(NAT_A, serverOne), sourceFrom(NAT_A, serverTwo), "easy");
        assertNotEquals(sourceFrom(NAT_B, serverOne), sourceFrom(NAT_B, serverTwo), "hard");
        assertEquals(1, network.nat(NAT_A).mappingCount());
        assertEquals(2, network.nat(NAT_B).mappingCount());
    }

    private static Endpoint sourceFrom(final int natAddress, final RecordingApplication server)
    {
        return server.received().stream()
            .map(RecordingApplication.Received::source)
            .filter(source -> source.ipv4() == natAddress)
            .findFirst()
            .orElseThrow();
    }

    /**
     * Answers "value:delayMs" with "echo value:delayMs" after the delay, keeping its own timer list since the
     * scheduler holds only the earliest deadline.
     */
    private static final class DelayedEcho extends RecordingApplication
    {
        private final TreeMap<Long, RecordingApplication.Received> due = new TreeMap<>();

        DelayedEcho()
        {
            whenReceived((context, datagram) ->
            {
                final long delayNs = Long.parseLong(datagram.text().substring(datagram.text().indexOf(':') + 1)) * MS;
                due.put(datagram.timeNs() + delayNs, datagram);
                context.wakeAt(due.firstKey());
            });
            whenTimer((context, nowNs) ->
            {
                while (!due.isEmpty() && due.firstKey() <= nowNs)
                {
                    final RecordingApplication.Received datagram = due.pollFirstEntry().getValue();
                    sendText(context, datagram.socketId(), datagram.source(), "echo " + datagram.text());
                }
                if (!due.isEmpty())
                {
                    context.wakeAt(due.firstKey());
                }
            });
        }
    }
}
