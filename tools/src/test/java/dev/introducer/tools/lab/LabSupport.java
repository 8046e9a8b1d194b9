package dev.introducer.tools.lab;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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
    public static Optional<String> unavailableReason()
    {
        return LabAvailability.unavailableReason();
    }

    /**
     * @return whether this JVM runs as root (uid 0).
     */
    public static boolean isRoot()
    {
        return LabAvailability.isRoot();
    }

    /**
     * @return whether the environment variable {@code CI} is {@code "true"}, as on the project's CI.
     */
    public static boolean isCi()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
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
