package dev.introducer.bench.load;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.protocol.ErrorCode;
import dev.introducer.protocol.FrameHeader;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * Makes every pair of {@link RelayLoad} a session of the relay before the load starts. {@code introducer}: each
 * leg repeats a RELAY_BIND signed with {@link RelayToken} over the fleet secret until the relay's RELAY_BIND_ACK
 * says both legs are bound, and carries the channel id. {@code relayfwd}: both legs repeat a registration datagram
 * until each has heard the other through the relay (the first two senders of a session id become its legs).
 * {@code direct}: nothing to do. Bounded by {@link #TIMEOUT_NS}.
 */
final class Handshake implements LegReceiver.Sink
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long BIND_RESEND_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long REGISTER_RESEND_NS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final long SETTLE_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long TOKEN_LIFETIME_MS = TimeUnit.MINUTES.toMillis(10);

    private final LoadOptions options;
    private final Leg[] aLegs;
    private final Leg[] bLegs;
    private final long[] sessionIds;
    private final Selector selector;
    private final Consumer<SelectionKey> onReadable;
    private final RelayBindAckFlyweight ack = new RelayBindAckFlyweight();
    private String failure;

    Handshake(final LoadOptions options, final Leg[] aLegs, final Leg[] bLegs, final long[] sessionIds,
        final Selector selector, final LegReceiver receiver)
    {
        this.options = options;
        this.aLegs = aLegs;
        this.bLegs = bLegs;
        this.sessionIds = sessionIds;
        this.selector = selector;
        this.onReadable = receiver.reader(this);
    }

    /**
     * Runs the handshake of every pair, then swallows the answers to repeats still in flight.
     *
     * @throws IOException on a socket failure.
     * @throws IllegalStateException when a session is not ready in time, or the relay refused a bind.
     */
    void run() throws IOException
    {
        if (options.target == LoadOptions.Target.DIRECT)
        {
            for (int i = 0; i < aLegs.length; i++)
            {
                aLegs[i].ready = true;
                bLegs[i].ready = true;
            }
            return;
        }
        final boolean introducer = options.target == LoadOptions.Target.INTRODUCER;
        for (int i = 0; i < aLegs.length; i++)
        {
            aLegs[i].handshake = introducer ? bindFrame(i, false) : registration(i);
            bLegs[i].handshake = introducer ? bindFrame(i, true) : registration(i);
        }
        final long resendNs = introducer ? BIND_RESEND_NS : REGISTER_RESEND_NS;
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long nextSend = 0;
        while (null == failure)
        {
            final long now = System.nanoTime();
            int ready = 0;
            for (int i = 0; i < aLegs.length; i++)
            {
                ready += aLegs[i].ready && bLegs[i].ready ? 1 : 0;
            }
            if (ready == aLegs.length)
            {
                break;
            }
            if (now >= deadline)
            {
                failure = "handshake failed: " + ready + " of " + aLegs.length + " sessions ready after " +
                    TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + " s (is the relay running on " +
                    options.relay.getAddress().getHostAddress() + ":" + options.relay.getPort() +
                    (introducer ? ", with this secret and public endpoint " + options.relayPublic : "") + "?)";
                break;
            }
            if (now >= nextSend)
            {
                for (int i = 0; i < aLegs.length; i++)
                {
                    // relayfwd: both legs repeat until each has heard the other. Ours: a leg is done when the
                    // relay says both legs are bound; a bound leg's repeat is answered, not counted twice.
                    if (!aLegs[i].ready || !bLegs[i].ready)
                    {
                        send(aLegs[i], introducer);
                        send(bLegs[i], introducer);
                    }
                }
                nextSend = now + resendNs;
            }
            selector.select(onReadable, 1);
        }
        if (null != failure)
        {
            throw new IllegalStateException(failure);
        }
        if (introducer)
        {
            for (int i = 0; i < aLegs.length; i++)
            {
                if (aLegs[i].channelId != bLegs[i].channelId)
                {
                    throw new IllegalStateException("session " + i + ": legs were given different channels " +
                        aLegs[i].channelId + " and " + bLegs[i].channelId);
                }
            }
        }
        // Settle: swallow answers to repeated handshakes still in flight.
        final long until = System.nanoTime() + SETTLE_NS;
        while (System.nanoTime() < until)
        {
            selector.select(onReadable, 1);
        }
    }

    private static void send(final Leg leg, final boolean introducer) throws IOException
    {
        if (introducer && leg.ready)
        {
            return;
        }
        leg.handshake.clear();
        try
        {
            leg.channel.write(leg.handshake);
        }
        catch (final PortUnreachableException ex)
        {
            // Nobody on the port (yet): retried until the deadline.
        }
    }

    private ByteBuffer bindFrame(final int pair, final boolean sideB)
    {
        final ByteBuffer frame = ByteBuffer.allocateDirect(RelayBindFlyweight.LENGTH);
        final RelayBindFlyweight bind = new RelayBindFlyweight();
        final Id32 a = Id32.sha256("relayload-" + Long.toHexString(sessionIds[pair]) + "-a");
        final Id32 b = Id32.sha256("relayload-" + Long.toHexString(sessionIds[pair]) + "-b");
        bind.wrapForBind(new UnsafeBuffer(frame), 0).sessionId(sessionIds[pair])
            .expiry(System.currentTimeMillis() + TOKEN_LIFETIME_MS)
            .senderId(sideB ? b : a).otherPeerId(sideB ? a : b).relayEndpoint(options.relayPublic);
        new RelayToken(options.secret).sign(bind);
        return frame;
    }

    private ByteBuffer registration(final int pair)
    {
        final ByteBuffer frame = ByteBuffer.allocateDirect(ProbeLayout.HEADER_LENGTH);
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putLong(0, sessionIds[pair], ByteOrder.BIG_ENDIAN);
        ProbeLayout.putHeader(view, 0, ProbeLayout.T_REG, pair);
        return frame;
    }

    public void onDatagram(final Leg leg, final UnsafeBuffer datagram, final int length, final long nowNs)
    {
        if (options.target == LoadOptions.Target.INTRODUCER)
        {
            onBindAck(leg, datagram, length);
        }
        else if (ProbeLayout.type(datagram, length) == ProbeLayout.T_REG)
        {
            // This leg heard its peer's registration through the relay.
            leg.ready = true;
        }
    }

    public void onReceiveError()
    {
        // ECONNREFUSED: the relay is not (yet) there; the handshake repeats until its deadline.
    }

    private void onBindAck(final Leg leg, final UnsafeBuffer datagram, final int length)
    {
        if (length < RelayBindAckFlyweight.LENGTH || !FrameHeader.hasMagic(datagram, 0) ||
            FrameHeader.type(datagram, 0) != MessageType.RELAY_BIND_ACK)
        {
            return;
        }
        ack.wrap(datagram, 0, length);
        if (ack.sessionId() != sessionIds[leg.pair])
        {
            return;
        }
        if (ack.status() != ErrorCode.OK)
        {
            failure = "the relay refused the bind of session " + leg.pair + ": " + ErrorCode.name(ack.status());
            return;
        }
        if (ack.legs() == 2)
        {
            leg.ready = true;
            leg.channelId = ack.channelId();
        }
    }
}
