package dev.introducer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The relay's forwarding path allocates nothing: {@code RelayForwardBenchmark.forward} below 1 B/op under JMH's
 * GC profiler in a forked JVM, and the allocating control at 16 B/op or more (else the profiler is not measuring).
 */
class RelayForwardAllocationGateTest
{
    private static final String ALLOC_RATE_NORM = "gc.alloc.rate.norm";

    @Test
    void forwardingAllocatesLessThanOneBytePerDatagram() throws RunnerException
    {
        final Options options = new OptionsBuilder()
            .include(RelayForwardBenchmark.class.getName() + "\\.(forward|allocatingBaseline)$")
            .param("size", "64")
            .addProfiler(GCProfiler.class)
            .forks(1)
            .warmupIterations(1)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(1)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend(BenchConfiguration.jvmFlags())
            .shouldFailOnError(true)
            .build();
        final Map<String, Double> bytesPerOp = new HashMap<>();
        for (final RunResult result : new Runner(options).run())
        {
            final BenchmarkParams params = result.getParams();
            final String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            for (final String label : result.getSecondaryResults().keySet())
            {
                if (label.endsWith(ALLOC_RATE_NORM))
                {
                    bytesPerOp.put(name, result.getSecondaryResults().get(label).getScore());
                }
            }
        }
        System.out.println("RelayForwardAllocationGateTest: gc.alloc.rate.norm (B/op) " + bytesPerOp);
        assertEquals(2, bytesPerOp.size(), "benchmarks run: " + bytesPerOp.keySet());
        assertTrue(bytesPerOp.get("allocatingBaseline") >= 16.0, "the control must allocate: " + bytesPerOp);
        assertTrue(bytesPerOp.get("forward") < 1.0, "forwarding allocates: " + bytesPerOp);
    }
}
