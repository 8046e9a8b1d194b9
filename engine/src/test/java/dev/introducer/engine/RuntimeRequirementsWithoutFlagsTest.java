package dev.introducer.engine;

import java.lang.management.ManagementFactory;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A JVM started without the runtime flags, as a library user's first run is (the engine pom runs this class in a
 * surefire execution of its own, {@code without-runtime-flags}).
 */
class RuntimeRequirementsWithoutFlagsTest
{
    private static final String MESSAGE = RuntimeRequirements.missingFlagMessage(UnsafeApi.class.getModule());

    @Test
    @DisplayName("without the flag, build() fails with the one line before and after Agrona's failed initialisation")
    void buildFailsWithTheOneLine()
    {
        assertFalse(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch((argument) -> argument.contains("jdk.internal.misc")), "this JVM must lack the flag");

        assertEquals(MESSAGE, assertThrows(IllegalStateException.class, () -> Engine.builder().bind("127.0.0.1", 0).build()).getMessage());

        // The check touched no Agrona: the user's first touch is what fails, and every later touch fails differently.
        assertThrows(IllegalAccessError.class, () -> new UnsafeBuffer(new byte[8]));
        assertThrows(NoClassDefFoundError.class, () -> new UnsafeBuffer(new byte[8]));

        assertEquals(MESSAGE, assertThrows(IllegalStateException.class, () -> Engine.builder().bind("127.0.0.1", 0).build()).getMessage());
    }
}
