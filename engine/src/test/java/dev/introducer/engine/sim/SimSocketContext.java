package dev.introducer.engine.sim;

import java.util.SplittableRandom;

import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;

/**
 * What a simulated host offers its application: the core's {@link Transport} and {@link Scheduler}, plus the
 * simulated clock and a seeded random generator so the application's randomness is reproducible too.
 */
public interface SimSocketContext extends Transport, Scheduler
{
    /**
     * The simulated time.
     *
     * @return nanoseconds in the network's time base.
     */
    long nowNs();

    /**
     * A generator split from the network's seeded generator when the host was created: the same seed and the
     * same set-up give the same numbers.
     *
     * @return this host's generator.
     */
    SplittableRandom random();
}
