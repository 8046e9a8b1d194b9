package dev.introducer.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.Engine;
import dev.introducer.protocol.DataFlyweight;
import dev.introducer.protocol.Id32;

/**
 * {@code introducer peer --chat}, like the seed's {@code introchat}: a daemon thread reads stdin line by line and
 * hands each line to the engine's thread, which sends it to every connected peer; each chat line received is
 * printed as {@code SHORT-ID: text} (or a {@code chat} JSON event). At the end of the input it waits
 * {@code --linger}, so the last lines can arrive, and asks the command to stop.
 * <p>
 * Wire format: byte 0 is {@link #CHAT_MESSAGE} (test messages have their round, 1 or 2, there), then the line in
 * UTF-8. Chat is for people: it makes a String per line on purpose; the test rounds and echo allocate nothing.
 */
final class PeerChat
{
    /** Byte 0 of a chat message. */
    static final byte CHAT_MESSAGE = 3;

    private final Console console;
    private final boolean json;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[DataFlyweight.MAX_PAYLOAD_LENGTH]);

    /**
     * @param console where lines received and notes go.
     * @param json    chat events as JSON lines instead of {@code SHORT-ID: text}.
     */
    PeerChat(final Console console, final boolean json)
    {
        this.console = console;
        this.json = json;
    }

    /**
     * Starts reading the input.
     *
     * @param input    the lines to send (stdin).
     * @param engine   the peer's engine.
     * @param session  its handler, which sends on the engine's thread.
     * @param stop     completed when the input has ended and the linger is over.
     * @param lingerMs how long to wait after the last line.
     */
    void start(
        final InputStream input,
        final Engine engine,
        final PeerSession session,
        final CompletableFuture<Boolean> stop,
        final long lingerMs)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)))
            {
                for (String line = lines.readLine(); null != line; line = lines.readLine())
                {
                    final String text = line;
                    engine.execute(() -> send(session, text));
                }
            }
            catch (final IOException ex)
            {
                console.error("cannot read stdin: " + ErrorHandlers.oneLine(ex));
            }
            try
            {
                Thread.sleep(lingerMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            stop.complete(Boolean.TRUE);
        }, "introducer-chat-input");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Prints a chat message received; anything else (a test message, say) is ignored. Run on the engine's thread.
     *
     * @param peer   the sender.
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     */
    void print(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || CHAT_MESSAGE != buffer.getByte(offset))
        {
            return;
        }
        final String text = buffer.getStringWithoutLengthUtf8(offset + 1, length - 1);
        if (json)
        {
            console.out(new Json().field("event", "chat").field("peer", peer.toHex()).field("text", text).end());
        }
        else
        {
            console.out(peer.shortHex() + ": " + text);
        }
    }

    private void send(final PeerSession session, final String line)
    {
        final byte[] text = line.getBytes(StandardCharsets.UTF_8);
        if (1 + text.length > payload.capacity())
        {
            console.error("line too long for one datagram (" + text.length + " bytes): not sent");
            return;
        }
        payload.putByte(0, CHAT_MESSAGE);
        payload.putBytes(1, text);
        if (0 == session.sendToConnected(payload, 1 + text.length))
        {
            console.info("no peer connected yet: line not sent");
        }
    }
}
