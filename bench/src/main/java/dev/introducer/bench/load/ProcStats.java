package dev.introducer.bench.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what Linux reports about a process and the host's UDP stack: CPU time of a process (utime + stime from
 * {@code /proc/PID/stat}, and on-CPU nanoseconds summed over its threads from {@code schedstat}) and the UDP
 * counters of {@code /proc/net/snmp}. Read twice, around the measured window; never on the hot path.
 */
final class ProcStats
{
    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux x86-64 kernel (USER_HZ), which Java cannot ask for. */
    static final double CLOCK_TICKS_PER_SECOND = 100.0;
    /** {@code PF_KTHREAD} in the flags field of {@code /proc/PID/stat}: a kernel thread. */
    private static final long PF_KTHREAD = 0x0020_0000L;

    private ProcStats()
    {
    }

    /**
     * CPU seconds (user + system) a process has used, all threads, from {@code /proc/PID/stat} fields 14 and 15.
     *
     * @param pid the process.
     * @return seconds, or NaN if it cannot be read.
     */
    static double cpuSeconds(final int pid)
    {
        if (pid <= 0)
        {
            return Double.NaN;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            final long utime = Long.parseLong(fields[11]);
            final long stime = Long.parseLong(fields[12]);
            return (utime + stime) / CLOCK_TICKS_PER_SECOND;
        }
        catch (final IOException | RuntimeException ex)
        {
            return Double.NaN;
        }
    }

    /**
     * Seconds a process's threads have been on a CPU, from {@code /proc/PID/task/TID/schedstat} (nanosecond
     * resolution, where utime + stime has 10 ms ticks). Threads that ended in between are not counted.
     *
     * @param pid the process.
     * @return seconds, or NaN if it cannot be read.
     */
    static double scheduledSeconds(final int pid)
    {
        if (pid <= 0)
        {
            return Double.NaN;
        }
        long ns = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String schedstat = Files.readString(task.resolve("schedstat")).trim();
                    ns += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                }
                catch (final IOException | RuntimeException ex)
                {
                    // The thread ended while we listed it.
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return Double.NaN;
        }
        return ns / 1e9;
    }

    /**
     * The host's UDP counters.
     *
     * @return {@code InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, SndbufErrors}, or zeros.
     */
    static long[] udpCounters()
    {
        final long[] counters = new long[6];
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            boolean header = true;
            for (final String line : lines)
            {
                if (line.startsWith("Udp:"))
                {
                    if (header)
                    {
                        header = false;
                        continue;
                    }
                    final String[] fields = line.substring(4).trim().split("\\s+");
                    for (int i = 0; i < counters.length && i < fields.length; i++)
                    {
                        counters[i] = Long.parseLong(fields[i]);
                    }
                    break;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux, or no procfs: the counters stay 0.
        }
        return counters;
    }

    /**
     * Per-CPU tick counters from {@code /proc/stat}: for each CPU, {@code busy} (everything but idle and iowait)
     * and {@code total}. Busy time on the relay's CPU that the relay did not use is someone else's: contention.
     *
     * @return {@code [cpu][0] = busy, [cpu][1] = total}, one row per CPU; empty if unreadable.
     */
    static long[][] cpuTicks()
    {
        try
        {
            final List<String> cpus = Files.readAllLines(Path.of("/proc/stat")).stream()
                .filter(l -> l.startsWith("cpu") && Character.isDigit(l.charAt(3))).toList();
            final long[][] ticks = new long[cpus.size()][2];
            for (int c = 0; c < cpus.size(); c++)
            {
                final String[] f = cpus.get(c).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length && i <= 8; i++)
                {
                    total += Long.parseLong(f[i]);
                }
                final long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                ticks[c][0] = total - idle;
                ticks[c][1] = total;
            }
            return ticks;
        }
        catch (final IOException | RuntimeException ex)
        {
            return new long[0][2];
        }
    }

    /**
     * CPU seconds (utime + stime) of every user-space process but the excluded ones, by pid: the rest of the
     * machine's work, to tell a measurement disturbed by something else running on the same CPUs. Kernel threads
     * (ksoftirqd and friends, which may do our own network work) are left out. A process that ended in between is
     * missed, one that started is counted from 0.
     *
     * @param excluded pids to leave out (the load generator, the relay).
     * @return seconds by pid.
     */
    static Map<Long, Double> otherProcessesCpu(final Set<Long> excluded)
    {
        final Map<Long, Double> cpu = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                final long pid;
                try
                {
                    pid = Long.parseLong(process.getFileName().toString());
                }
                catch (final NumberFormatException ex)
                {
                    continue;
                }
                if (excluded.contains(pid))
                {
                    continue;
                }
                try
                {
                    final String stat = Files.readString(process.resolve("stat"));
                    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    final long flags = Long.parseLong(fields[6]);
                    if ((flags & PF_KTHREAD) != 0)
                    {
                        continue;
                    }
                    cpu.put(pid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND);
                }
                catch (final IOException | RuntimeException ex)
                {
                    // The process ended while we listed it.
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return cpu;
        }
        return cpu;
    }

    /**
     * The CPU seconds the other processes used between two snapshots of {@link #otherProcessesCpu}.
     *
     * @param before the first snapshot.
     * @param after  the second.
     * @return seconds.
     */
    static double otherProcessesCpuDelta(final Map<Long, Double> before,
        final Map<Long, Double> after)
    {
        double sum = 0;
        for (final Map.Entry<Long, Double> e : after.entrySet())
        {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        return sum;
    }
}
