package dev.introducer.tools.lab;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether NAT lab tests can run here: call {@link #assumeLab()} first in every lab test.
 * <p>
 * Without root, {@code ip}, {@code nft} or a kernel that passes {@code netlab.sh check}, lab tests are skipped,
 * loudly. On CI ({@code CI=true}) as root they fail instead: there the lab must work, and a silent skip would
 * lose the only proof that the code traverses real kernel NATs.
 */
public final class LabSupport
{
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> REQUIRED_COMMANDS = List.of("ip", "nft");

    private static Optional<String> cachedUnavailableReason;

    private LabSupport()
    {
    }

    /**
     * Lets the calling test go on only if the NAT lab can be built here.
     *
     * @throws org.opentest4j.TestAbortedException (a skip) when the lab is unavailable.
     * @throws org.opentest4j.AssertionFailedError when it is unavailable although CI runs as root.
     */
    public static void assumeLab()
    {
        final Optional<String> reason = unavailableReason();
        if (reason.isEmpty())
        {
            return;
        }
        if (isCi() && isRoot())
        {
            final String message = "NAT LAB UNAVAILABLE ON CI: " + reason.get()
                + " (CI=true and running as root: the lab must work here; see tools/lab/README.md)";
            shout("*** " + message + " ***");
            Assertions.fail(message);
        }
        final String message = "NAT LAB TESTS SKIPPED: " + reason.get()
            + " (need root, ip netns, nft). These tests prove behaviour through real kernel NATs.";
        shout("*** " + message + " ***");
        Assumptions.abort(message);
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

    /**
     * @return whether the environment variable {@code CI} is {@code "true"}, as on the project's CI.
     */
    public static boolean isCi()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
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
            return NetLab.SCRIPT_RELATIVE + " not found above " + Path.of("").toAbsolutePath();
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

    /**
     * Prints to the process's own stderr, not System.err: surefire redirects System.err into a report file, and
     * a lost lab must show in the build log. The reason also reaches the report through the skip or failure.
     * Lab tests also use it for results that belong in the build log (the connect-time table).
     *
     * @param banner the text to print.
     */
    static void shout(final String banner)
    {
        @SuppressWarnings("resource") // closing it would close the JVM's stderr
        final PrintStream nativeErr = new PrintStream(
            new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        nativeErr.println(banner);
        nativeErr.flush();
    }
}
