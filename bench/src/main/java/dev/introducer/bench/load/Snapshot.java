package dev.introducer.bench.load;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

import com.sun.management.OperatingSystemMXBean;

/**
 * What /proc says at one moment: the relay's CPU, this process's, the CPUs', the UDP counters', and optionally
 * the other processes' CPU (the census, the slowest part). {@link RelayLoad} takes them around its window.
 */
final class Snapshot
{
    final long atNs;
    final double relayCpuS;
    final double relaySchedS;
    final long ownCpuNs;
    final long[][] cpus;
    final long[] udp;
    /** By pid, or null without the census. */
    final Map<Long, Double> others;

    private Snapshot(final int relayPid, final Set<Long> mine, final boolean census)
    {
        others = census ? ProcStats.otherProcessesCpu(mine) : null;
        udp = ProcStats.udpCounters();
        relayCpuS = ProcStats.cpuSeconds(relayPid);
        relaySchedS = ProcStats.scheduledSeconds(relayPid);
        ownCpuNs = ownCpuNs();
        cpus = ProcStats.cpuTicks();
        atNs = System.nanoTime();
    }

    /**
     * Takes a snapshot now.
     *
     * @param relayPid the relay's pid ({@code --cpu-pid}; not a process when there is none).
     * @param mine     the pids the census leaves out.
     * @param census   whether to take the other processes' CPU too.
     * @return the snapshot.
     */
    static Snapshot take(final int relayPid, final Set<Long> mine, final boolean census)
    {
        return new Snapshot(relayPid, mine, census);
    }

    private static long ownCpuNs()
    {
        final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        return null == os ? 0 : os.getProcessCpuTime();
    }
}
