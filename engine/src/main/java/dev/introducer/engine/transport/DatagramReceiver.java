package dev.introducer.engine.transport;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;

import org.agrona.ErrorHandler;

import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import dev.introducer.protocol.Endpoint;

/**
 * Hands each datagram of one Netty channel to a {@link DatagramSink}: wraps the receive buffer's memory in a reused
 * {@link UnsafeBuffer} (zero-copy) and names the sender. Peers' connected sockets are {@link ConnectedUdpSocket}s.
 */
final class DatagramReceiver extends ChannelInboundHandlerAdapter
{
    private final DatagramSink sink;
    private final ErrorHandler errors;
    private final int socketId;
    private final Endpoint source = new Endpoint();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private byte[] heapCopy = new byte[0];

    DatagramReceiver(final DatagramSink sink, final int socketId, final ErrorHandler errors)
    {
        this.sink = sink;
        this.errors = errors;
        this.socketId = socketId;
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext context, final Object message)
    {
        try
        {
            final ByteBuf content;
            final Endpoint sender;
            if (message instanceof DatagramPacket)
            {
                final DatagramPacket packet = (DatagramPacket)message;
                content = packet.content();
                sender = senderOf(packet.sender());
            }
            else
            {
                return;
            }
            if (null == sender)
            {
                return;
            }
            final int length = content.readableBytes();
            if (content.hasMemoryAddress())
            {
                view.wrap(content.memoryAddress() + content.readerIndex(), length);
            }
            else
            {
                if (heapCopy.length < length)
                {
                    heapCopy = new byte[Math.max(length, 2048)];
                }
                content.getBytes(content.readerIndex(), heapCopy, 0, length);
                view.wrap(heapCopy, 0, length);
            }
            sink.onDatagram(socketId, sender, view, 0, length);
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    private Endpoint senderOf(final InetSocketAddress address)
    {
        if (null == address || null == address.getAddress())
        {
            return null;
        }
        return source.set(address);
    }

    /**
     * {@inheritDoc}
     */
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        // ICMP port unreachable surfaces here on some platforms: UDP carries on. Anything else is reported.
        if (!(cause instanceof PortUnreachableException))
        {
            errors.onError(cause);
        }
    }
}
