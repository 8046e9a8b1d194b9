package dev.introducer.tools.lab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.sun.security.auth.module.UnixSystem;

/**
 * Whether a NAT lab can be built here: root, {@code ip} and {@code nft} on PATH, netlab.sh found, and a kernel
 * that passes {@code netlab.sh check}. The lab tests (through {@code LabSupport}) and {@code introducer demo}
 * ask it before building a lab; the reason it gives is what they print when they cannot.
 */
public final class LabAvailability
{
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> REQUIRED_COMMANDS = List.of("ip", "nft");

    private static Optional<String> cachedUnavailableReason;

    private LabAvailability()
    {
    }

    /**
     * Why the lab cannot be built here, found once per JVM.
     *
     * @return the reason, or empty if the lab can be built.
     */
    public static synchronized Optional<String> unavailableReason()
    {
        if (null == cachedUnavailableReason)
        {
            cachedUnavailableReason = Optional.ofNullable(findUnavailableReason());
        }
        return cachedUnavailableReason;
    }

    /**
     * @return whether this JVM runs as root (uid 0).
     */
    public static boolean isRoot()
    {
        return 0 == new UnixSystem().getUid();
    }

    private static String findUnavailableReason()
    {
        if (!isRoot())
        {
            return "not running as root (uid " + new UnixSystem().getUid() + ")";
        }
        for (final String command : REQUIRED_COMMANDS)
        {
            if (!onPath(command))
            {
                return "'" + command + "' not on PATH (Debian: apt-get install iproute2 nftables)";
            }
        }
        final Optional<Path> script = NetLab.locateScript();
        if (script.isEmpty())
        {
            return NetLab.SCRIPT_RELATIVE + " not found next to the code or above " + Path.of("").toAbsolutePath();
        }
        // a prefix of our own: the probe builds and deletes a namespace PREFIX-chk
        final String prefix = NetLab.uniquePrefix("chk");
        final ExecResult check = BoundedProcess.run(
            List.of("bash", script.get().toString(), "--prefix", prefix, "check"), CHECK_TIMEOUT);
        if (!check.succeeded())
        {
            return "netlab.sh check failed: " + check.describe();
        }
        return null;
    }

    private static boolean onPath(final String command)
    {
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return false;
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }
}
