package dev.introducer.engine.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;

/**
 * A scriptable test application that records every datagram it receives as text, with optional reactions to
 * start, datagrams and timers. The factories give netsim's two server styles: a payload echo and an address
 * echo (a rendezvous server that tells a host its public endpoint).
 */
public class RecordingApplication implements SimApplication
{
    /**
     * A datagram as received.
     *
     * @param timeNs   arrival time.
     * @param socketId receiving socket.
     * @param source   sender as seen by this host (a copy).
     * @param text     payload, read as ASCII.
     */
    public record Received(long timeNs, int socketId, Endpoint source, String text)
    {
    }

    /**
     * Reacts to a received datagram.
     */
    @FunctionalInterface
    public interface Reaction
    {
        /**
         * Called after the datagram has been recorded.
         *
         * @param context  the host.
         * @param received the datagram.
         */
        void onReceived(SimSocketContext context, Received received);
    }

    /**
     * Reacts to a timer.
     */
    @FunctionalInterface
    public interface TimerReaction
    {
        /**
         * Called on every timer call.
         *
         * @param context the host.
         * @param nowNs   the time.
         */
        void onTimer(SimSocketContext context, long nowNs);
    }

    private final List<Received> received = new ArrayList<>();
    private Consumer<SimSocketContext> startAction = context -> {};
    private Reaction reaction = (context, datagram) -> {};
    private TimerReaction timerReaction = (context, nowNs) -> {};
    private SimSocketContext context;
    private long startedAtNs = -1;
    private int timerCalls;

    /**
     * An application that echoes every payload back to its source from the socket it arrived on.
     *
     * @return the application.
     */
    public static RecordingApplication echo()
    {
        return new RecordingApplication().whenReceived(
            (context, datagram) -> sendText(context, datagram.socketId(), datagram.source(), datagram.text()));
    }

    /**
     * An application that answers every datagram with the sender's endpoint as text ({@code a.b.c.d:port}),
     * as netsim's rendezvous server does.
     *
     * @return the application.
     */
    public static RecordingApplication addressEcho()
    {
        return new RecordingApplication().whenReceived(
            (context, datagram) ->
                sendText(context, datagram.socketId(), datagram.source(), datagram.source().toString()));
    }

    /**
     * Sends a text datagram.
     *
     * @param transport   to send with.
     * @param socketId    to send from.
     * @param destination where to.
     * @param text        ASCII payload.
     * @return what {@link Transport#send} returned.
     */
    public static boolean sendText(
        final Transport transport, final int socketId, final Endpoint destination, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return transport.send(socketId, destination, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Reads a text payload.
     *
     * @param buffer holding it.
     * @param offset of it.
     * @param length of it.
     * @return the ASCII text.
     */
    public static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    /**
     * Sets what to do on start, after the context is stored.
     *
     * @param action to run.
     * @return this.
     */
    public RecordingApplication whenStarted(final Consumer<SimSocketContext> action)
    {
        this.startAction = action;
        return this;
    }

    /**
     * Sets what to do with each datagram, after it is recorded.
     *
     * @param reaction to run.
     * @return this.
     */
    public RecordingApplication whenReceived(final Reaction reaction)
    {
        this.reaction = reaction;
        return this;
    }

    /**
     * Sets what to do on each timer call, after it is counted.
     *
     * @param reaction to run.
     * @return this.
     */
    public RecordingApplication whenTimer(final TimerReaction reaction)
    {
        this.timerReaction = reaction;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public void onStart(final SimSocketContext context, final long nowNs)
    {
        this.context = context;
        this.startedAtNs = nowNs;
        startAction.accept(context);
    }

    /**
     * {@inheritDoc}
     */
    public void onDatagram(
        final long nowNs,
        final int socketId,
        final Endpoint source,
        final MutableDirectBuffer buffer,
        final int offset,
        final int length)
    {
        final Received datagram = new Received(nowNs, socketId, source.copy(), text(buffer, offset, length));
        received.add(datagram);
        reaction.onReceived(context, datagram);
    }

    /**
     * {@inheritDoc}
     */
    public void onTimer(final long nowNs)
    {
        timerCalls++;
        timerReaction.onTimer(context, nowNs);
    }

    /**
     * Sends a text datagram from this application's host.
     *
     * @param socketId    to send from.
     * @param destination where to.
     * @param text        ASCII payload.
     * @return what {@link Transport#send} returned.
     */
    public boolean send(final int socketId, final Endpoint destination, final String text)
    {
        return sendText(context, socketId, destination, text);
    }

    /**
     * Everything received so far, oldest first; tests may remove entries.
     *
     * @return the live list.
     */
    public List<Received> received()
    {
        return received;
    }

    /**
     * The payloads received so far, oldest first.
     *
     * @return a new list.
     */
    public List<String> texts()
    {
        final List<String> texts = new ArrayList<>();
        for (final Received datagram : received)
        {
            texts.add(datagram.text());
        }
        return texts;
    }

    /**
     * The host, once started.
     *
     * @return the context, or null.
     */
    public SimSocketContext context()
    {
        return context;
    }

    /**
     * When {@link #onStart} ran.
     *
     * @return the time, or -1 if not yet.
     */
    public long startedAtNs()
    {
        return startedAtNs;
    }

    /**
     * How many times {@link #onTimer} ran.
     *
     * @return the count.
     */
    public int timerCalls()
    {
        return timerCalls;
    }
}
