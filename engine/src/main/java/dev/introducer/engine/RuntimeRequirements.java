package dev.introducer.engine;

import org.agrona.UnsafeApi;

/**
 * What the engine needs from the JVM it runs in, checked when an engine is built.
 * <p>
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which {@code java.base} exports to nobody unless the JVM is
 * started with {@value #REQUIRED_JVM_FLAG}. Without it, the first Agrona class to initialise fails with an
 * {@link IllegalAccessError} from {@code UnsafeApi}'s static initialiser, and every later touch with a
 * {@link NoClassDefFoundError}: a stack trace of Agrona's internals that does not say what to add. The check asks
 * the module system the same question instead of touching Agrona, so it neither triggers nor depends on that
 * failed initialisation, and answers alike on the first and every later attempt.
 * <p>
 * Netty's entries of the root pom's {@code jvm.runtime.flags} ({@code --add-opens java.base/java.nio} and
 * {@code -Dio.netty.tryReflectionSetAccessible=true}) are not required: without them Netty allocates its direct
 * buffers through {@code ByteBuffer.allocateDirect} with a cleaner, which only the allocation of its pool's chunks
 * sees, not the data path.
 */
final class RuntimeRequirements
{
    /** The one JVM flag a library user must add, for Agrona on the class path. */
    static final String REQUIRED_JVM_FLAG = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final String INTERNAL_PACKAGE = "jdk.internal.misc";

    private RuntimeRequirements()
    {
    }

    /**
     * Fails unless Agrona can reach {@code jdk.internal.misc.Unsafe}.
     *
     * @throws IllegalStateException with a one-line message naming the missing flag.
     */
    static void check()
    {
        // A class literal loads UnsafeApi without initialising it: nothing of Agrona runs here.
        final Module agrona = UnsafeApi.class.getModule();
        if (!canReachInternalUnsafe(agrona))
        {
            throw new IllegalStateException(missingFlagMessage(agrona));
        }
    }

    static boolean canReachInternalUnsafe(final Module agrona)
    {
        // --add-opens implies the export that UnsafeApi's linkage needs; --add-exports alone is enough too.
        return Object.class.getModule().isExported(INTERNAL_PACKAGE, agrona);
    }

    static String missingFlagMessage(final Module agrona)
    {
        // On the module path Agrona is the automatic module org.agrona, and the flag must name it.
        final String flag = agrona.isNamed() ?
            "--add-opens java.base/" + INTERNAL_PACKAGE + "=" + agrona.getName() : REQUIRED_JVM_FLAG;
        return "introducer-engine cannot start: add the JVM flag " + flag + " to the java command line" +
            " (Agrona 2.x needs jdk.internal.misc.Unsafe, which this JVM does not export to it)";
    }
}
