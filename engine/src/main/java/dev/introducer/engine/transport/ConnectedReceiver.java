package dev.introducer.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import dev.introducer.protocol.Endpoint;

/**
 * The receive handler of a peer's connected socket: the data path. Netty wraps each connected read in a
 * {@link DatagramPacket}; this handler is kept tiny and never lets the packet escape (it passes on only the
 * content, and releases the content itself), so that the JIT's escape analysis removes that allocation. The
 * zero-allocation test in the engine module holds it to that.
 */
final class ConnectedReceiver extends ChannelInboundHandlerAdapter
{
    private final NettyTransport transport;
    private final int socketId;
    private final Endpoint remote;

    ConnectedReceiver(final NettyTransport transport, final int socketId, final Endpoint remote)
    {
        this.transport = transport;
        this.socketId = socketId;
        this.remote = remote;
    }

    /**
     * {@inheritDoc}
     */
    public void channelRead(final ChannelHandlerContext context, final Object message)
    {
        final ByteBuf content = message instanceof DatagramPacket ? ((DatagramPacket)message).content() :
            (ByteBuf)message;
        try
        {
            transport.onConnectedDatagram(socketId, remote, content);
        }
        finally
        {
            content.release();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        // ICMP errors on a connected UDP socket (the peer's port closed): the core's liveness handles it.
    }
}
