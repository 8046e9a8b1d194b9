package dev.introducer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * The JVM flags live in one place, the root pom's {@code jvm.runtime.flags}. Annotations cannot read them, so every
 * benchmark's {@code @Fork(jvmArgsAppend)} repeats them; this test keeps the copies from drifting.
 */
class BenchForkFlagsTest
{
    @Test
    void benchPropertiesCarriesTheFilteredRootPomFlags()
    {
        final String[] flags = BenchConfiguration.jvmFlags();
        assertTrue(List.of(flags).contains("java.base/jdk.internal.misc=ALL-UNNAMED"), List.of(flags).toString());
        for (final String flag : flags)
        {
            assertFalse(flag.contains("${"), "unfiltered: " + flag);
        }
    }

    @Test
    void everyBenchmarkClassForksWithExactlyTheRootPomFlags() throws Exception
    {
        final List<Class<?>> benchmarks = benchmarkClasses();
        assertTrue(benchmarks.contains(CodecBenchmark.class), "found " + benchmarks);

        final String[] expected = BenchConfiguration.jvmFlags();
        for (final Class<?> benchmark : benchmarks)
        {
            final Fork classFork = benchmark.getAnnotation(Fork.class);
            assertNotNull(classFork, benchmark.getName() + " has no @Fork carrying the JVM flags");
            assertArrayEquals(expected, classFork.jvmArgsAppend(), benchmark.getName() + " @Fork.jvmArgsAppend");
            for (final Method method : benchmark.getDeclaredMethods())
            {
                final Fork methodFork = method.getAnnotation(Fork.class);
                if (methodFork != null)
                {
                    assertArrayEquals(expected, methodFork.jvmArgsAppend(), method + " @Fork.jvmArgsAppend");
                }
            }
        }
    }

    /**
     * Every class of this module's package (not JMH's generated code) with a {@code @Benchmark} method.
     */
    private static List<Class<?>> benchmarkClasses() throws IOException, URISyntaxException, ClassNotFoundException
    {
        final Path root = Path.of(BenchConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final String packageName = BenchConfiguration.class.getPackageName();
        final Path packageDirectory = root.resolve(packageName.replace('.', '/'));
        final List<Class<?>> benchmarks = new ArrayList<>();
        final List<Path> classFiles;
        try (Stream<Path> files = Files.list(packageDirectory))
        {
            classFiles = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (final Path file : classFiles)
        {
            final String simpleName = file.getFileName().toString().replace(".class", "");
            final Class<?> type = Class.forName(packageName + "." + simpleName, false,
                BenchForkFlagsTest.class.getClassLoader());
            for (final Method method : type.getDeclaredMethods())
            {
                if (method.isAnnotationPresent(Benchmark.class))
                {
                    benchmarks.add(type);
                    break;
                }
            }
        }
        return benchmarks;
    }
}
