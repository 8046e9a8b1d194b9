package dev.introducer.relay;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay on real sockets (loopback, two workers): binding with tokens, forwarding, and every way a bind is
 * refused: expired, forged, replayed from another address, for another relay, over quota.
 */
@Timeout(30)
class RelayServerTest
{
    static final byte[] SECRET = "the fleet's shared relay secret".getBytes(StandardCharsets.US_ASCII);
    private final Id32 alice = Id32.sha256("alice");
    private final Id32 bob = Id32.sha256("bob");
    private RelayServer relay;
    private InetSocketAddress address;
    private Endpoint publicEndpoint;

    @BeforeEach
    void start()
    {
        startRelay(new RelayConfiguration());
    }

    private void startRelay(final RelayConfiguration configuration)
    {
        if (null != relay)
        {
            relay.close();
        }
        final int port = RelayTestSupport.freeLoopbackPort();
        publicEndpoint = Endpoint.parse("127.0.0.1:" + port);
        relay = new RelayServer(configuration.publicEndpoint(publicEndpoint).secret(SECRET),
            new InetSocketAddress("127.0.0.1", port), 2, false, SystemEpochClock.INSTANCE);
        address = relay.localAddress();
    }

    @AfterEach
    void stop()
    {
        relay.close();
    }

    private long future()
    {
        return System.currentTimeMillis() + 60_000;
    }

    @Test
    @DisplayName("two legs bind with the token and data flows both ways, byte for byte")
    void bindAndForward() throws Exception
    {
        try (RelayClient a = new RelayClient(address); RelayClient b = new RelayClient(address))
        {
            final long session = 7;
            a.send(RelayClient.bind(SECRET, session, future(), alice, bob, publicEndpoint));
            final RelayBindAckFlyweight first = a.awaitAck(2000);
            assertNotNull(first);
            assertEquals(0, first.status());
            assertEquals(1, first.legs(), "waiting for the other leg");
            b.send(RelayClient.bind(SECRET, session, future(), bob, alice, publicEndpoint));
            final RelayBindAckFlyweight second = b.awaitAck(2000);
            assertEquals(2, second.legs());
            final int channel = second.channelId();
            final RelayBindAckFlyweight told = a.awaitAck(2000);
            assertNotNull(told, "the first leg hears that the second bound");
            assertEquals(2, told.legs());
            assertEquals(channel, told.channelId());

            final byte[] payload = "hello through the relay".getBytes(StandardCharsets.US_ASCII);
            a.sendData(channel, payload);
            final byte[] atB = b.receive(2000);
            assertNotNull(atB);
            assertArrayEquals(payload, Arrays.copyOfRange(atB, RelayDataFlyweight.PAYLOAD_OFFSET, atB.length));
            b.sendData(channel, payload);
            assertNotNull(a.receive(2000));
            assertTrue(relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED) >= 2);
        }
    }

    @Test
    @DisplayName("an expired token is refused with TOKEN_EXPIRED and counted")
    void expiredToken() throws Exception
    {
        try (RelayClient a = new RelayClient(address))
        {
            a.send(RelayClient.bind(SECRET, 8, System.currentTimeMillis() - 1, alice, bob, publicEndpoint));
            final RelayBindAckFlyweight ack = a.awaitAck(2000);
            assertNotNull(ack);
            assertEquals(ErrorCode.TOKEN_EXPIRED, ack.status());
            assertEquals(1, relay.counter(RelayCounters.Type.DROPPED_EXPIRED_TOKEN));
            assertEquals(0, relay.sessionCount());
        }
    }

    @Test
    @DisplayName("a forged token is dropped silently and counted")
    void forgedToken() throws Exception
    {
        try (RelayClient a = new RelayClient(address))
        {
            final byte[] forged = RelayClient.bind("not the fleet secret at all".getBytes(StandardCharsets.US_ASCII),
                9, future(), alice, bob, publicEndpoint);
            a.send(forged);
            assertNull(a.receive(300));
            assertEquals(1, relay.counter(RelayCounters.Type.DROPPED_FORGED_TOKEN));
            assertEquals(0, relay.sessionCount());
        }
    }

    @Test
    @DisplayName("a bound leg's token replayed from another address is dropped and counted, and cannot send")
    void replayedFromAnotherAddress() throws Exception
    {
        try (RelayClient a = new RelayClient(address); RelayClient b = new RelayClient(address);
            RelayClient mallory = new RelayClient(address))
        {
            final byte[] aliceBind = RelayClient.bind(SECRET, 10, future(), alice, bob, publicEndpoint);
            a.send(aliceBind);
            assertNotNull(a.awaitAck(2000));
            b.send(RelayClient.bind(SECRET, 10, future(), bob, alice, publicEndpoint));
            final int channel = b.awaitAck(2000).channelId();
            mallory.send(aliceBind);
            assertNull(mallory.receive(300));
            assertEquals(1, relay.counter(RelayCounters.Type.DROPPED_REPLAYED_TOKEN));
            mallory.sendData(channel, new byte[10]);
            assertNull(b.receive(300), "nothing from an unbound address reaches the leg");
            assertTrue(relay.counter(RelayCounters.Type.DROPPED_UNBOUND) >= 1);
        }
    }

    @Test
    @DisplayName("a token for another relay endpoint is dropped and counted")
    void wrongRelay() throws Exception
    {
        try (RelayClient a = new RelayClient(address))
        {
            a.send(RelayClient.bind(SECRET, 11, future(), alice, bob, Endpoint.parse("127.0.0.1:9")));
            assertNull(a.receive(300));
            assertEquals(1, relay.counter(RelayCounters.Type.DROPPED_WRONG_RELAY));
        }
    }

    @Test
    @DisplayName("quotas: a session over its packet rate, and a source over its bind rate, are cut and counted")
    void quotas() throws Exception
    {
        startRelay(new RelayConfiguration().sessionQuota(100, 1 << 20).bindRatePerSource(5));
        try (RelayClient a = new RelayClient(address); RelayClient b = new RelayClient(address))
        {
            a.send(RelayClient.bind(SECRET, 12, future(), alice, bob, publicEndpoint));
            assertNotNull(a.awaitAck(2000));
            b.send(RelayClient.bind(SECRET, 12, future(), bob, alice, publicEndpoint));
            final int channel = b.awaitAck(2000).channelId();
            for (int i = 0; i < 1000; i++)
            {
                a.sendData(channel, new byte[16]);
            }
            Thread.sleep(300);
            assertTrue(relay.counter(RelayCounters.Type.QUOTA_SESSION) > 0, "session quota hit");
            assertTrue(relay.counter(RelayCounters.Type.DATAGRAMS_FORWARDED) <= 300, "about 100 per second pass");
            try (RelayClient c = new RelayClient(address))
            {
                for (int i = 0; i < 20; i++)
                {
                    c.send(RelayClient.bind(SECRET, 100 + i, future(), alice, bob, publicEndpoint));
                }
                Thread.sleep(300);
            }
            assertTrue(relay.counter(RelayCounters.Type.QUOTA_BIND) > 0, "bind quota hit");
        }
    }

    @Test
    @DisplayName("no amplification: an unbound address never gets more bytes back than it sent")
    void noAmplification() throws Exception
    {
        try (RelayClient stranger = new RelayClient(address))
        {
            final java.util.Random random = new java.util.Random(5);
            long sent = 0;
            for (int i = 0; i < 200; i++)
            {
                final byte[] datagram;
                switch (i % 4)
                {
                    case 0: datagram = RelayClient.bind(SECRET, 200 + i, future(), alice, bob, publicEndpoint);
                        break;
                    case 1: datagram = RelayClient.bind(SECRET, 200 + i, 1, alice, bob, publicEndpoint);
                        break;
                    case 2: datagram = new byte[RelayDataFlyweight.PAYLOAD_OFFSET + 4];
                        break;
                    default: datagram = new byte[1 + random.nextInt(200)];
                        random.nextBytes(datagram);
                        break;
                }
                stranger.send(datagram);
                sent += datagram.length;
            }
            long received = 0;
            byte[] reply;
            while (null != (reply = stranger.receive(300)))
            {
                received += reply.length;
            }
            assertTrue(received <= sent, "received " + received + " for " + sent);
            assertTrue(received > 0, "binds were answered");
        }
    }
}
