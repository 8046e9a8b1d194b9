package dev.introducer.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The figures of one {@link RelayLoad} run, printed as one {@code RESULT key=value ...} line (keys as close as
 * possible to the C {@code relayload}'s, so that one script can read both) or as one JSON object.
 */
final class LoadResult
{
    String label;
    String target;
    int sessions;
    int size;
    long rate;
    boolean echo;
    int gso;
    double windowS;
    long tx;
    long rx;
    long echoRx;
    long txErrors;
    long echoErrors;
    long reordered;
    long unexpected;
    long receiveErrors;
    Histogram oneWay;
    Histogram roundTrip;
    int relayPid;
    double relayCpuS;
    double relaySchedS;
    double ownCpuS;
    long udpRcvbufErrors;
    long udpInErrors;
    double[] cpuBusyPct = new double[0];
    double othersCpuS;

    /** Offered: datagrams/s the A legs sent in the window. */
    double txPps()
    {
        return tx / windowS;
    }

    /** Forwarded: datagrams/s received at B (sent in the window). */
    double rxPps()
    {
        return rx / windowS;
    }

    double lossPct()
    {
        return tx == 0 ? Double.NaN : 100.0 * (1.0 - (double)rx / tx);
    }

    /** Datagrams the relay forwarded in the window: A to B, plus the echoes B to A. */
    long forwarded()
    {
        return rx + (echo ? echoRx : 0);
    }

    /** The relay's CPU (utime + stime) per forwarded datagram, microseconds. */
    double relayCpuUsPerDatagram()
    {
        return forwarded() == 0 ? Double.NaN : relayCpuS * 1e6 / forwarded();
    }

    Map<String, Object> fields()
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("label", label);
        f.put("target", target);
        f.put("generator", "java");
        f.put("pairs", sessions);
        f.put("size", size);
        f.put("rate", rate == 0 ? "max" : Long.toString(rate));
        f.put("echo", echo ? 1 : 0);
        f.put("gso", gso);
        f.put("win_s", round(windowS, 3));
        f.put("tx", tx);
        f.put("rx", rx);
        f.put("tx_pps", round(txPps(), 0));
        f.put("rx_pps", round(rxPps(), 0));
        f.put("loss_pct", round(lossPct(), 4));
        f.put("echo_rx", echo ? echoRx : 0);
        f.put("echo_pps", echo ? round(echoRx / windowS, 0) : 0);
        f.put("echo_loss_pct", echo && tx > 0 ? round(100.0 * (1.0 - (double)echoRx / tx), 4) : Double.NaN);
        percentiles(f, "ow", oneWay);
        percentiles(f, "rtt", echo ? roundTrip : null);
        f.put("lg_cpu_pct", round(100.0 * ownCpuS / windowS, 1));
        f.put("relay_pid", relayPid);
        f.put("srv_cpu_pct", round(100.0 * relayCpuS / windowS, 1));
        f.put("srv_cpu_s", round(relayCpuS, 2));
        f.put("srv_sched_cpu_pct", round(100.0 * relaySchedS / windowS, 1));
        f.put("srv_cpu_us_per_dgram", round(relayCpuUsPerDatagram(), 3));
        for (int c = 0; c < cpuBusyPct.length; c++)
        {
            f.put("cpu" + c + "_busy_pct", round(cpuBusyPct[c], 0));
        }
        f.put("others_cpu_pct", round(100.0 * othersCpuS / windowS, 1));
        f.put("udp_rcvbuf_err", udpRcvbufErrors);
        f.put("udp_in_err", udpInErrors);
        f.put("txerr", txErrors);
        f.put("echo_txerr", echoErrors);
        f.put("reordered", reordered);
        f.put("unexpected", unexpected);
        f.put("rx_err", receiveErrors);
        return f;
    }

    private static void percentiles(final Map<String, Object> f, final String prefix, final Histogram h)
    {
        final boolean empty = null == h || h.getTotalCount() == 0;
        f.put(prefix + "_n", empty ? 0 : h.getTotalCount());
        f.put(prefix + "_p50_us", empty ? Double.NaN : round(h.getValueAtPercentile(50) / 1e3, 1));
        f.put(prefix + "_p90_us", empty ? Double.NaN : round(h.getValueAtPercentile(90) / 1e3, 1));
        f.put(prefix + "_p99_us", empty ? Double.NaN : round(h.getValueAtPercentile(99) / 1e3, 1));
        f.put(prefix + "_p999_us", empty ? Double.NaN : round(h.getValueAtPercentile(99.9) / 1e3, 1));
        f.put(prefix + "_max_us", empty ? Double.NaN : round(h.getMaxValue() / 1e3, 1));
    }

    private static double round(final double value, final int digits)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return Double.NaN;
        }
        final double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /**
     * One line: {@code RESULT key=value ...}.
     *
     * @return the line.
     */
    String toLine()
    {
        final StringBuilder line = new StringBuilder("RESULT");
        for (final Map.Entry<String, Object> e : fields().entrySet())
        {
            line.append(' ').append(e.getKey()).append('=').append(text(e.getValue()));
        }
        return line.toString();
    }

    /**
     * One JSON object (NaN as null).
     *
     * @return the object.
     */
    String toJson()
    {
        final StringBuilder json = new StringBuilder("{");
        for (final Map.Entry<String, Object> e : fields().entrySet())
        {
            if (json.length() > 1)
            {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":");
            final Object v = e.getValue();
            if (v instanceof String s)
            {
                json.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            else if (v instanceof Double d && d.isNaN())
            {
                json.append("null");
            }
            else
            {
                json.append(text(v));
            }
        }
        return json.append('}').toString();
    }

    private static String text(final Object value)
    {
        if (value instanceof Double d)
        {
            if (d.isNaN())
            {
                return "nan";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15)
            {
                return Long.toString(d.longValue());
            }
            return String.format(Locale.ROOT, "%s", d);
        }
        return String.valueOf(value);
    }
}
