package dev.introducer.engine.host;

import org.agrona.DirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * A host that sends nowhere and wakes nobody: a {@link Transport} and {@link Scheduler} for measuring what the
 * sans-IO parts cost on their own (the relay's forwarding benchmark, the relay's memory footprint test). Every send
 * succeeds and is counted; the last datagram is kept by reference, not copied (valid until its sender reuses the
 * buffer), so that a caller can read an answer without paying for a copy on every send. It opens no sockets and
 * knows no local endpoint.
 * <p>
 * Main code rather than the engine's test-jar, because the benchmarks jar runs it.
 */
public final class DiscardingHost implements Transport, Scheduler
{
    private long sends;
    private DirectBuffer lastBuffer;
    private int lastOffset;
    private int lastLength;

    public boolean send(final int socketId, final Endpoint destination, final DirectBuffer buffer, final int offset,
        final int length)
    {
        sends++;
        lastBuffer = buffer;
        lastOffset = offset;
        lastLength = length;
        return true;
    }

    public int openSocket()
    {
        return NO_SOCKET;
    }

    public void closeSocket(final int socketId)
    {
    }

    public Endpoint localEndpoint(final Endpoint into)
    {
        return into.clear();
    }

    public void wakeAt(final long deadlineNs)
    {
    }

    /**
     * The sends so far.
     *
     * @return how many datagrams were given to {@link #send}.
     */
    public long sends()
    {
        return sends;
    }

    /**
     * The buffer of the last datagram sent.
     *
     * @return the sender's buffer, or null before the first send.
     */
    public DirectBuffer lastBuffer()
    {
        return lastBuffer;
    }

    /**
     * Where the last datagram starts in {@link #lastBuffer()}.
     *
     * @return its offset.
     */
    public int lastOffset()
    {
        return lastOffset;
    }

    /**
     * The length of the last datagram sent.
     *
     * @return its length, 0 before the first send.
     */
    public int lastLength()
    {
        return lastLength;
    }
}
