package dev.introducer.engine;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;

import org.agrona.UnsafeApi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up check in a JVM with the project's flags (surefire's argLine). Its failing side, in a JVM without
 * them, is {@code RuntimeRequirementsWithoutFlagsTest} and the consumer build of the {@code it} module.
 */
class RuntimeRequirementsTest
{
    @Test
    @DisplayName("with the flag, Agrona reaches jdk.internal.misc.Unsafe and the check passes, every time")
    void passesWithTheFlag()
    {
        assertTrue(RuntimeRequirements.canReachInternalUnsafe(UnsafeApi.class.getModule()));
        assertDoesNotThrow(RuntimeRequirements::check);
        assertDoesNotThrow(RuntimeRequirements::check);
    }

    @Test
    @DisplayName("the message for Agrona on the class path is one line that names the exact flag")
    void classPathMessage()
    {
        final String message = RuntimeRequirements.missingFlagMessage(UnsafeApi.class.getModule());

        assertEquals("introducer-engine cannot start: add the JVM flag " +
            "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED to the java command line" +
            " (Agrona 2.x needs jdk.internal.misc.Unsafe, which this JVM does not export to it)", message);
        assertFalse(message.contains("\n") || message.contains("\r"));
    }

    @Test
    @DisplayName("Agrona on the module path is not reached by the class-path flag, and the message names its module")
    void modulePathAgrona() throws Exception
    {
        final Path agronaJar = Path.of(UnsafeApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final ModuleLayer boot = ModuleLayer.boot();
        final Configuration configuration = boot.configuration()
            .resolve(ModuleFinder.of(agronaJar), ModuleFinder.of(), Set.of("org.agrona"));
        final Module agrona = boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader())
            .findModule("org.agrona").orElseThrow();

        assertFalse(RuntimeRequirements.canReachInternalUnsafe(agrona));
        assertTrue(RuntimeRequirements.missingFlagMessage(agrona)
            .contains(" --add-opens java.base/jdk.internal.misc=org.agrona "));
    }
}
