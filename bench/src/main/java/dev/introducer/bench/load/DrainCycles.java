package dev.introducer.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code RelayLoad --drain-cycles C --fill N}: the relay's CPU per forwarded datagram at full batches, measured in a
 * way that other work on the machine does not bend much. A timed run on a busy machine starves the generator, so
 * the relay sees a trickle, wakes up per datagram, and its cost per datagram is that of a trickle. Here each cycle
 * stops the relay ({@code SIGSTOP}), sends N datagrams into its socket buffers, resumes it ({@code SIGCONT}) and
 * waits until B has received them (or 200 ms without progress). The relay thus always drains a full queue, at its
 * own pace. Its CPU is the sum of its threads' run time ({@code /proc/PID/task/*}{@code /schedstat}, ns) over the
 * cycle, which excludes the time it waits for a CPU. The figure is CPU seconds over datagrams received at B; what
 * the relay's own buffers drop costs it nothing and is not counted.
 * <p>
 * Bounded: at most 10,000 cycles of N datagrams each, each cycle at most 200 ms of waiting after the last progress.
 */
final class DrainCycles
{
    private static final int WARM_UP_CYCLES = 30;
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long STOP_WAIT_NS = TimeUnit.SECONDS.toNanos(2);

    private final RelayLoad load;
    private final LoadOptions options;

    DrainCycles(final RelayLoad load, final LoadOptions options)
    {
        this.load = load;
        this.options = options;
    }

    /**
     * Runs the cycles.
     *
     * @return the RESULT line.
     * @throws IOException on a socket failure.
     */
    String run() throws IOException
    {
        load.prepare();
        final int pid = options.cpuPid;
        long sent = 0;
        long received = 0;
        double relayS = 0;
        long received0 = load.pollB();
        int pair = 0;
        for (int cycle = 0; cycle < WARM_UP_CYCLES + options.drainCycles; cycle++)
        {
            final double before = ProcStats.scheduledSeconds(pid);
            int filled = 0;
            signal(pid, "STOP");
            try
            {
                awaitStopped(pid);
                while (filled < options.fill)
                {
                    filled += load.sendFrom(pair);
                    pair = (pair + 1) % options.sessions;
                }
            }
            finally
            {
                // Never leave the relay stopped, whatever failed.
                signal(pid, "CONT");
            }
            final long expected = received0 + filled;
            long now = load.pollB();
            long lastProgressNs = System.nanoTime();
            while (now < expected && System.nanoTime() - lastProgressNs < QUIET_NS)
            {
                final long next = load.pollB();
                if (next != now)
                {
                    now = next;
                    lastProgressNs = System.nanoTime();
                }
            }
            final double after = ProcStats.scheduledSeconds(pid);
            if (cycle >= WARM_UP_CYCLES)
            {
                sent += filled;
                received += now - received0;
                relayS += after - before;
            }
            received0 = now;
        }
        final double usPerDatagram = received > 0 ? relayS * 1e6 / received : Double.NaN;
        return String.format(Locale.ROOT, "RESULT label=%s mode=drain size=%d gso=%d sessions=%d cycles=%d fill=%d " +
            "sent=%d rx=%d loss_pct=%.3f relay_sched_s=%.6f relay_us_per_dgram=%.3f", options.label, options.size,
            options.gso, options.sessions, options.drainCycles, options.fill, sent, received,
            sent > 0 ? 100.0 * (sent - received) / sent : Double.NaN, relayS, usPerDatagram);
    }

    private static void signal(final int pid, final String signal) throws IOException
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0)
            {
                throw new IOException("kill -" + signal + " " + pid + " failed");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    /** Waits until every thread of the process is stopped (state T), so that the fill meets a still relay. */
    private static void awaitStopped(final int pid) throws IOException
    {
        final long deadline = System.nanoTime() + STOP_WAIT_NS;
        while (System.nanoTime() < deadline)
        {
            boolean all = true;
            try (var tasks = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task")))
            {
                for (final Path task : tasks)
                {
                    final String stat = Files.readString(task.resolve("stat"));
                    final char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state != 'T' && state != 't')
                    {
                        all = false;
                        break;
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                all = false;
            }
            if (all)
            {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IOException("process " + pid + " did not stop");
    }
}
