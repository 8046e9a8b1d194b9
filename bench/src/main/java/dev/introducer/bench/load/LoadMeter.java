package dev.introducer.bench.load;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What {@link RelayLoad} counts while the load runs: datagrams sent and received, one-way times at B, round trips
 * at A, and B's echoes with {@code --echo}. Only datagrams whose timestamp falls at or after
 * {@link #windowStartNs} count in the window's figures. Nothing here allocates.
 */
final class LoadMeter implements LegReceiver.Sink
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final boolean echo;
    private final LegReceiver receiver;
    private final Histogram oneWay = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram roundTrip = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    /** Datagrams with an earlier timestamp are warm-up; none count before the load sets it. */
    long windowStartNs = Long.MAX_VALUE;
    long lastReceiveNs;
    /** Every datagram received at B, warm-up included. */
    long rxB;
    private long txWindow;
    private long txErrors;
    private long rxBWindow;
    private long echoErrors;
    private long echoRxWindow;
    private long reordered;
    private long unexpected;
    private long receiveErrors;

    /**
     * A meter with nothing counted.
     *
     * @param echo     {@code --echo}: B sends every datagram back.
     * @param receiver to send the echoes with.
     */
    LoadMeter(final boolean echo, final LegReceiver receiver)
    {
        this.echo = echo;
        this.receiver = receiver;
    }

    /**
     * One send from an A leg.
     *
     * @param timestamp the timestamp its datagrams carry.
     * @param datagrams how many it carried.
     * @param sent      whether the socket took it.
     */
    void onSend(final long timestamp, final int datagrams, final boolean sent)
    {
        if (!sent)
        {
            txErrors += datagrams;
        }
        else if (timestamp >= windowStartNs)
        {
            txWindow += datagrams;
        }
    }

    public void onDatagram(final Leg leg, final UnsafeBuffer datagram, final int length, final long nowNs)
    {
        lastReceiveNs = nowNs;
        final int type = ProbeLayout.type(datagram, length);
        if (type == ProbeLayout.NOT_A_PROBE)
        {
            unexpected++;
            return;
        }
        final long timestamp = datagram.getLong(ProbeLayout.TIMESTAMP_OFFSET);
        if (leg.sideB)
        {
            if (type != ProbeLayout.T_DATA)
            {
                unexpected += type == ProbeLayout.T_REG ? 0 : 1;
                return;
            }
            rxB++;
            final long sequence = datagram.getLong(ProbeLayout.SEQ_OFFSET);
            if (sequence < leg.lastSequence)
            {
                reordered++;
            }
            leg.lastSequence = sequence;
            if (timestamp >= windowStartNs)
            {
                rxBWindow++;
                record(oneWay, nowNs - timestamp);
            }
            if (echo)
            {
                datagram.putByte(ProbeLayout.TYPE_OFFSET, (byte)ProbeLayout.T_ECHO);
                if (!receiver.writeBack(leg))
                {
                    echoErrors++;
                }
            }
        }
        else
        {
            if (type != ProbeLayout.T_ECHO)
            {
                unexpected += type == ProbeLayout.T_REG ? 0 : 1;
                return;
            }
            if (timestamp >= windowStartNs)
            {
                echoRxWindow++;
                record(roundTrip, nowNs - timestamp);
            }
        }
    }

    public void onReceiveError()
    {
        receiveErrors++;
    }

    /**
     * Copies the counts and the histograms into a result.
     *
     * @param result to fill.
     */
    void fill(final LoadResult result)
    {
        result.tx = txWindow;
        result.rx = rxBWindow;
        result.echoRx = echoRxWindow;
        result.txErrors = txErrors;
        result.echoErrors = echoErrors;
        result.reordered = reordered;
        result.unexpected = unexpected;
        result.receiveErrors = receiveErrors;
        result.oneWay = oneWay;
        result.roundTrip = roundTrip;
    }

    private static void record(final Histogram histogram, final long ns)
    {
        histogram.recordValue(Math.max(0, Math.min(ns, HIGHEST_TRACKABLE_NS)));
    }
}
