package dev.introducer.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.introducer.engine.Engine;

/**
 * The input side of {@code introducer peer --chat}: a daemon thread reads stdin line by line and hands each line
 * to the engine's thread, where {@link PeerSession#sendChat} sends it to every connected peer. At the end of the
 * input it waits {@code --linger} (so the last lines can arrive) and asks the command to stop. The other side,
 * printing what arrives, is {@link PeerSession}'s.
 */
final class PeerChat
{
    private PeerChat()
    {
    }

    /**
     * Starts reading.
     *
     * @param input    the lines to send (stdin).
     * @param engine   the peer's engine.
     * @param session  its handler, which sends on the engine's thread.
     * @param console  for the notes on lines that were not sent.
     * @param stop     completed when the input has ended and the linger is over.
     * @param lingerMs how long to wait after the last line.
     */
    static void start(
        final InputStream input,
        final Engine engine,
        final PeerSession session,
        final Console console,
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
                    engine.execute(() -> report(console, session.sendChat(text)));
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

    private static void report(final Console console, final int sentTo)
    {
        if (sentTo < 0)
        {
            console.error("line too long for one datagram: not sent");
        }
        else if (0 == sentTo)
        {
            console.info("no peer connected yet: line not sent");
        }
    }
}
