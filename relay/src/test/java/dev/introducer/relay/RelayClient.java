package dev.introducer.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameHeader;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * A test leg of a relay session on loopback: a plain NIO UDP socket that binds with a token and sends and
 * receives relay data.
 */
final class RelayClient implements AutoCloseable
{
    final DatagramChannel channel;
    final InetSocketAddress relay;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65_536);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receive);

    RelayClient(final InetSocketAddress relay) throws IOException
    {
        this.relay = relay;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
    }

    /**
     * A signed bind for a session between two ids, as an introducer's offer would carry it.
     */
    static byte[] bind(final byte[] secret, final long sessionId, final long expiryMs, final Id32 self,
        final Id32 other, final Endpoint relayEndpoint)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[RelayBindFlyweight.LENGTH]);
        final RelayBindFlyweight bind = new RelayBindFlyweight();
        bind.wrapForBind(buffer, 0).sessionId(sessionId).expiry(expiryMs).senderId(self).otherPeerId(other)
            .relayEndpoint(relayEndpoint);
        new RelayToken(secret).sign(bind);
        return buffer.byteArray();
    }

    void send(final byte[] bytes) throws IOException
    {
        channel.send(ByteBuffer.wrap(bytes), relay);
    }

    void sendData(final int channelId, final byte[] payload) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[RelayDataFlyweight.PAYLOAD_OFFSET + payload.length]);
        new RelayDataFlyweight().wrapForRelayData(buffer, 0, payload.length).channelId(channelId);
        buffer.putBytes(RelayDataFlyweight.PAYLOAD_OFFSET, payload);
        send(buffer.byteArray());
    }

    /**
     * Waits up to a time for one datagram.
     *
     * @return its bytes, or null.
     */
    byte[] receive(final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            receive.clear();
            if (null != channel.receive(receive))
            {
                final byte[] bytes = new byte[receive.position()];
                receiveView.getBytes(0, bytes);
                return bytes;
            }
            Thread.sleep(1);
        }
        return null;
    }

    /**
     * Waits for a bind answer.
     *
     * @return the answer's view, or null.
     */
    RelayBindAckFlyweight awaitAck(final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final byte[] bytes = receive(deadline - System.currentTimeMillis());
            if (null != bytes && bytes.length >= RelayBindAckFlyweight.LENGTH &&
                bytes[FrameHeader.TYPE_OFFSET] == MessageType.RELAY_BIND_ACK)
            {
                final RelayBindAckFlyweight ack = new RelayBindAckFlyweight();
                ack.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
                return ack;
            }
        }
        return null;
    }

    public void close() throws IOException
    {
        channel.close();
    }
}
