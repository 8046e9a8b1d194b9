package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.Engine;

/**
 * The copy of an engine's counters into the counters file runs on the engine's thread every publish period: it
 * must not allocate there, or a node would feed the garbage collector from its data-path thread. The test runs
 * many publisher rounds and compares the engine thread's allocation with as many empty tasks on the same path
 * (the event loop's own cost of a task, whatever it is, is not the copy's).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeCountersAllocationTest
{
    private static final ThreadMXBean THREADS = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final String MALFORMED = "introducer_engine_dropped_total{reason=\"malformed\"}";
    private static final int ROUNDS = 20_000;
    private static final int WARM_UP_ROUNDS = 5_000;

    @Test
    void copyingOnTheEngineThreadDoesNotAllocate(@TempDir final Path dir) throws Exception
    {
        final Path path = dir.resolve("counters.dat");
        try (Engine engine = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build();
            CountersFile file = CountersFile.create(path, "cd".repeat(32), System.currentTimeMillis()))
        {
            final NodeCounters counters = new NodeCounters(file, false);
            counters.add(engine);
            final Runnable empty = () -> { };
            // A value to copy on every round: the copy's add path, not only its compare, is exercised.
            NodeMetricsTest.sendGarbage("127.0.0.1:" + engine.localAddress().getPort());

            rounds(engine, counters, null, WARM_UP_ROUNDS);
            rounds(engine, null, empty, WARM_UP_ROUNDS);
            final long emptyTasks = rounds(engine, null, empty, ROUNDS);
            final long copies = rounds(engine, counters, null, ROUNDS);

            System.out.println("engine thread: " + copies + " B for " + ROUNDS + " counter copies, " + emptyTasks +
                " B for as many empty tasks");
            // Under 1 B per copy: any object made per copy (16 B at least) would be 16 or more.
            assertTrue(copies - emptyTasks < ROUNDS,
                () -> copies + " B for the copies against " + emptyTasks + " B for empty tasks");
            assertEquals(1L, NodeMetricsTest.fileValues(path).get(MALFORMED), "the copies copied");
        }
    }

    /** Runs rounds on the engine's thread and returns what its thread allocated meanwhile. */
    private static long rounds(final Engine engine, final NodeCounters counters, final Runnable task, final int n)
    {
        drain(engine); // what is queued
        final long before = THREADS.getThreadAllocatedBytes(engine.engineThreadId());
        for (int i = 0; i < n; i++)
        {
            if (null != counters)
            {
                counters.publishOnce();
            }
            else
            {
                engine.execute(task);
            }
            if (0 == (i & 255))
            {
                drain(engine); // bounded queue: let the engine catch up
            }
        }
        drain(engine);
        return THREADS.getThreadAllocatedBytes(engine.engineThreadId()) - before;
    }

    /** Waits until the engine's thread ran everything queued before; the task it runs allocates nothing. */
    private static void drain(final Engine engine)
    {
        final CountDownLatch done = new CountDownLatch(1);
        engine.execute(done::countDown);
        try
        {
            assertTrue(done.await(5, TimeUnit.SECONDS), "the engine's thread ran the queue");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
