package dev.introducer.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The JVM flags a benchmark fork needs, read from {@code bench.properties}, which Maven filters from the root
 * pom's {@code jvm.runtime.flags}: the one place they are defined. An annotation cannot read them, so every
 * {@code @Fork(jvmArgsAppend = ...)} repeats them, and a unit test checks that each copy equals
 * {@link #jvmFlags()}.
 */
public final class BenchConfiguration
{
    /** The classpath resource holding the flags. */
    public static final String RESOURCE = "/bench.properties";
    /** The key of the flags in {@link #RESOURCE}. */
    public static final String JVM_FLAGS_KEY = "jvm.runtime.flags";

    private BenchConfiguration()
    {
    }

    /**
     * The runtime JVM flags, split on whitespace, for {@code OptionsBuilder.jvmArgsAppend} and for comparison
     * with {@code @Fork}.
     *
     * @return the flags.
     * @throws IllegalStateException when the resource is missing or was not filtered by Maven.
     */
    public static String[] jvmFlags()
    {
        final Properties properties = new Properties();
        try (InputStream in = BenchConfiguration.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + RESOURCE, ex);
        }
        final String flags = properties.getProperty(JVM_FLAGS_KEY, "").trim();
        if (flags.isEmpty() || flags.contains("${"))
        {
            throw new IllegalStateException(RESOURCE + " has no filtered " + JVM_FLAGS_KEY + ": '" + flags + "'");
        }
        return flags.split("\\s+");
    }
}
