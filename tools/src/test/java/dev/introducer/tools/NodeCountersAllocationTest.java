package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.Engine;

/**
 * The copy of an engine's counters into the counters file runs on the engine's thread every publish period: it
 * must not allocate there, or a node would feed the garbage collector from its data-path thread. An idle engine
 * thread allocates a little by itself (its event loop's timers), so the test compares the same window without
 * and with the publisher.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeCountersAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final String MALFORMED = "introducer_engine_dropped_total{reason=\"malformed\"}";
    private static final long WINDOW_PERIODS = 60;
    /** Far below any per-copy object (a lambda, a boxed long, an iterator is 16 B or more). */
    private static final long BYTES_PER_COPY_MAX = 8;

    @Test
    void copyingOnTheEngineThreadDoesNotAllocate(@TempDir final Path dir) throws Exception
    {
        final Path path = dir.resolve("counters.dat");
        try (Engine engine = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build();
            CountersFile file = CountersFile.create(path, "cd".repeat(32), System.currentTimeMillis()))
        {
            final NodeCounters counters = new NodeCounters(file, false);
            counters.add(engine);
            final long thread = engine.engineThreadId();
            final String address = "127.0.0.1:" + engine.localAddress().getPort();
            final long windowMs = WINDOW_PERIODS * NodeCounters.PUBLISH_PERIOD_MS_DEFAULT;
            Thread.sleep(windowMs / 3);
            final long idle = allocatedDuring(thread, windowMs);

            counters.start();
            try
            {
                // Warm up: the copy task and the event loop's task path get compiled.
                for (int i = 1; i <= 20; i++)
                {
                    NodeMetricsTest.sendGarbage(address);
                    NodeMetricsTest.awaitCounter(path, MALFORMED, i);
                }
                final long publishing = allocatedDuring(thread, windowMs);

                System.out.println("engine thread: " + idle + " B idle, " + publishing + " B while publishing, over " +
                    WINDOW_PERIODS + " publish periods each");
                assertTrue(publishing <= idle + WINDOW_PERIODS * BYTES_PER_COPY_MAX,
                    () -> publishing + " B while publishing against " + idle + " B idle");
                NodeMetricsTest.sendGarbage(address);
                NodeMetricsTest.awaitCounter(path, MALFORMED, 21);
                assertEquals(21L, NodeMetricsTest.fileValues(path).get(MALFORMED), "the copies kept running");
            }
            finally
            {
                counters.stopPublisher();
            }
        }
    }

    private static long allocatedDuring(final long thread, final long windowMs) throws InterruptedException
    {
        final long before = THREADS.getThreadAllocatedBytes(thread);
        Thread.sleep(windowMs);
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}
