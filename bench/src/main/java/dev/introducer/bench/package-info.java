/**
 * JMH benchmarks. {@link dev.introducer.bench.CodecBenchmark} measures the wire codec; the JVM flags of every
 * fork come from the root pom's {@code jvm.runtime.flags} through {@link dev.introducer.bench.BenchConfiguration}.
 */
package dev.introducer.bench;
