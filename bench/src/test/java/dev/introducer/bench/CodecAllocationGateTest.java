package dev.introducer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
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
 * The allocation gate of the issue: encoding and decoding a typical message allocates less than 1 byte per
 * operation, measured by JMH's GC profiler in a forked JVM. The allocating control must show at least 16 B/op, or
 * the profiler is not measuring and a 0 would prove nothing.
 */
class CodecAllocationGateTest
{
    private static final String ALLOC_RATE_NORM = "gc.alloc.rate.norm";

    @Test
    void encodeDecodePingAllocatesLessThanOneBytePerOperationAndTheControlDoes()
    {
        final Options options = new OptionsBuilder()
            .include(CodecBenchmark.class.getName() + "\\.(encodeDecodePing|allocatingBaseline)$")
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
        final Collection<RunResult> results = runUnchecked(options);
        for (final RunResult result : results)
        {
            final BenchmarkParams params = result.getParams();
            final String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            bytesPerOp.put(name, allocRateNorm(result));
        }
        System.out.println("CodecAllocationGateTest: gc.alloc.rate.norm (B/op) " + bytesPerOp);

        assertEquals(2, bytesPerOp.size(), "benchmarks run: " + bytesPerOp.keySet());
        assertTrue(bytesPerOp.get("allocatingBaseline") >= 16.0,
            "the control must allocate, else the profiler is not measuring: " + bytesPerOp);
        assertTrue(bytesPerOp.get("encodeDecodePing") < 1.0, "encode + decode allocates: " + bytesPerOp);
    }

    private static Collection<RunResult> runUnchecked(final Options options)
    {
        try
        {
            return new Runner(options).run();
        }
        catch (final RunnerException ex)
        {
            throw new AssertionError("JMH run failed", ex);
        }
    }

    private static double allocRateNorm(final RunResult result)
    {
        // JMH's API hands secondary results out as a raw Result; reading the score through the map keeps the raw
        // type out of this code. JMH versions differ on a leading "·" in the label.
        for (final String label : result.getSecondaryResults().keySet())
        {
            if (label.endsWith(ALLOC_RATE_NORM))
            {
                return result.getSecondaryResults().get(label).getScore();
            }
        }
        throw new AssertionError("no " + ALLOC_RATE_NORM + " in " + result.getSecondaryResults().keySet());
    }
}
