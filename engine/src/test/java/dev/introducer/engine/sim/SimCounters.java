package dev.introducer.engine.sim;

/**
 * Network-wide datagram counters. {@code sent() == delivered() + dropped() + in flight}, so once the network is
 * idle the first equals the sum of the other two.
 */
public final class SimCounters
{
    private static final SimDropReason[] REASONS = SimDropReason.values();

    private long sent;
    private long delivered;
    private final long[] dropped = new long[REASONS.length];

    SimCounters()
    {
    }

    void onSent()
    {
        sent++;
    }

    void onDelivered()
    {
        delivered++;
    }

    void onDropped(final SimDropReason reason)
    {
        dropped[reason.ordinal()]++;
    }

    /**
     * Datagrams handed to the simulator from a bound socket.
     *
     * @return the count.
     */
    public long sent()
    {
        return sent;
    }

    /**
     * Datagrams passed to an application.
     *
     * @return the count.
     */
    public long delivered()
    {
        return delivered;
    }

    /**
     * Datagrams dropped for one reason.
     *
     * @param reason to count.
     * @return the count.
     */
    public long dropped(final SimDropReason reason)
    {
        return dropped[reason.ordinal()];
    }

    /**
     * Datagrams dropped for any reason.
     *
     * @return the count.
     */
    public long dropped()
    {
        long total = 0;
        for (final long count : dropped)
        {
            total += count;
        }
        return total;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final StringBuilder text = new StringBuilder("sent=").append(sent).append(" delivered=").append(delivered);
        for (final SimDropReason reason : REASONS)
        {
            text.append(' ').append(reason.name().toLowerCase()).append('=').append(dropped[reason.ordinal()]);
        }
        return text.toString();
    }
}
