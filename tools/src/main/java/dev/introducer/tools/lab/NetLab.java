package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One NAT lab: real kernel NATs in network namespaces, built by {@code tools/lab/netlab.sh} under a prefix of its
 * own, and torn down by {@link #close()}.
 * <p>
 * Hosts are named as in tools/lab/README.md: {@code inet srv pub rta a a2 rtb b b2 rtc c}. Every address is in
 * 198.18.0.0/15 and nothing inside a lab reaches anything outside it. Every call is bounded in time. Use it with
 * try-with-resources after {@link LabSupport#assumeLab()}:
 *
 * <pre>{@code
 * try (NetLab lab = NetLab.start("punch", NatMode.EASY, NatMode.HARD, null, null, null))
 * {
 *     lab.startBackground("srv", log, NetLab.javaCommand(Node.class.getName(), "198.18.0.10:3478"));
 *     lab.waitUdp("srv", 3478, 20);
 *     ExecResult result = lab.exec("a", Duration.ofSeconds(30), NetLab.javaCommand(...));
 * }
 * }</pre>
 */
public final class NetLab implements AutoCloseable
{
    /** Every lab host, in netlab.sh's order. */
    public static final List<String> HOSTS =
        List.of("inet", "srv", "pub", "rta", "a", "a2", "rtb", "b", "b2", "rtc", "c");

    /** JVM flags our runtime needs on Java 17 (the same list as the root pom's jvm.runtime.flags). */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED");

    /** Where netlab.sh sits below the project root. */
    public static final Path SCRIPT_RELATIVE = Path.of("tools", "lab", "netlab.sh");

    /** An environment variable that names netlab.sh explicitly, overriding the search. */
    public static final String SCRIPT_ENV = "INTRODUCER_NETLAB";

    // up/down take a lock that netlab.sh waits up to 30 s for, when other labs are being built in parallel
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(20);
    private static final int PREFIX_SUFFIX_LENGTH = 5;
    private static final int PREFIX_MAX_AFTER_NL = 10;
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> SIDES = Set.of("a", "b", "c");

    private final Path script;
    private final String prefix;
    private final Map<String, String> addressCache = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetLab(final Path script, final String prefix)
    {
        this.script = script;
        this.prefix = prefix;
        // a test JVM killed by a time limit should not leave 11 namespaces behind
        this.shutdownHook = new Thread(this::down, "netlab-down-" + prefix);
    }

    /**
     * Brings up a new lab under a unique prefix. A {@code null} mode or timeout leaves netlab.sh's default
     * (easy NATs, UDP timeouts 30 s / 120 s).
     *
     * @param prefixHint        a few letters that tell which test the lab belongs to (shows in {@code ip netns}).
     * @param natA              mode of router A (hosts a, a2), or null.
     * @param natB              mode of router B (hosts b, b2), or null.
     * @param natC              mode of router C (host c), or null.
     * @param udpTimeoutS       conntrack timeout of unreplied UDP flows in all routers, or null.
     * @param udpStreamTimeoutS conntrack timeout of replied UDP flows in all routers, or null.
     * @return the running lab; close it to tear it down.
     * @throws LabException if the lab cannot be built (it is removed again).
     */
    public static NetLab start(
        final String prefixHint,
        final NatMode natA,
        final NatMode natB,
        final NatMode natC,
        final Integer udpTimeoutS,
        final Integer udpStreamTimeoutS)
    {
        final Path script = locateScript().orElseThrow(() -> new LabException(
            "cannot find " + SCRIPT_RELATIVE + " above " + Path.of("").toAbsolutePath()));
        final NetLab lab = new NetLab(script, uniquePrefix(prefixHint));

        final List<String> upArgs = new ArrayList<>(List.of("up"));
        addOption(upArgs, "--nat-a", null == natA ? null : natA.scriptName());
        addOption(upArgs, "--nat-b", null == natB ? null : natB.scriptName());
        addOption(upArgs, "--nat-c", null == natC ? null : natC.scriptName());
        addOption(upArgs, "--udp-timeout", null == udpTimeoutS ? null : udpTimeoutS.toString());
        addOption(upArgs, "--udp-stream-timeout", null == udpStreamTimeoutS ? null : udpStreamTimeoutS.toString());

        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        final long startNanos = System.nanoTime();
        try
        {
            lab.netlab(SCRIPT_TIMEOUT, upArgs.toArray(String[]::new)).requireSuccess("lab '" + lab.prefix + "' up");
            System.out.println("netlab: lab '" + lab.prefix + "' up in " + millisSince(startNanos) + " ms " + upArgs);
        }
        catch (final RuntimeException ex)
        {
            try
            {
                lab.close();
            }
            catch (final RuntimeException closeFailure)
            {
                ex.addSuppressed(closeFailure);
            }
            throw ex;
        }
        return lab;
    }

    /**
     * Brings up a new lab with the given modes for routers A and B, router C easy, default UDP timeouts.
     *
     * @param prefixHint a few letters that tell which test the lab belongs to.
     * @param natA       mode of router A.
     * @param natB       mode of router B.
     * @return the running lab.
     */
    public static NetLab start(final String prefixHint, final NatMode natA, final NatMode natB)
    {
        return start(prefixHint, natA, natB, null, null, null);
    }

    /**
     * A command line that runs {@code mainClass} from the test class path in a fresh JVM, with the JVM flags our
     * runtime needs. Pass it to {@link #exec} or {@link #startBackground}: the lab has no route out, but the
     * classes come from the local disk.
     *
     * @param mainClass fully qualified name of a class with a {@code main} method.
     * @param args      its arguments.
     * @return the command line.
     */
    public static List<String> javaCommand(final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(testClassPath());
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The class path of this test JVM. Surefire runs tests from a manifest-only booter jar, so its
     * {@code java.class.path} is one jar that exists only while the fork runs; it puts the real class path in
     * {@code surefire.test.class.path}, which is what a child JVM should get.
     *
     * @return the class path to give a child JVM.
     */
    public static String testClassPath()
    {
        final String surefireClassPath = System.getProperty("surefire.test.class.path");
        if (null != surefireClassPath && !surefireClassPath.isBlank())
        {
            return surefireClassPath;
        }
        return System.getProperty("java.class.path");
    }

    /**
     * Finds tools/lab/netlab.sh: the file named by the environment variable {@value #SCRIPT_ENV} if set, else the
     * one next to the code itself ({@code tools/target/introducer.jar} and {@code tools/target/classes} sit two
     * levels below {@code tools/lab}: the launcher finds it from any working directory, and a checkout uses its
     * own copy), else by walking up from the working directory (an IDE's class path may be elsewhere).
     *
     * @return the script, if found.
     */
    public static Optional<Path> locateScript()
    {
        final String fromEnvironment = System.getenv(SCRIPT_ENV);
        if (null != fromEnvironment && !fromEnvironment.isBlank())
        {
            final Path script = Path.of(fromEnvironment).toAbsolutePath();
            return Files.isRegularFile(script) ? Optional.of(script) : Optional.empty();
        }
        final Optional<Path> nextToCode = codeLocation().flatMap(NetLab::findAbove);
        if (nextToCode.isPresent())
        {
            return nextToCode;
        }
        return findAbove(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> findAbove(final Path start)
    {
        for (Path dir = start; null != dir; dir = dir.getParent())
        {
            final Path candidate = dir.resolve(SCRIPT_RELATIVE);
            if (Files.isRegularFile(candidate))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> codeLocation()
    {
        try
        {
            final java.security.CodeSource source = NetLab.class.getProtectionDomain().getCodeSource();
            return null == source ? Optional.empty() :
                Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().toRealPath());
        }
        catch (final java.net.URISyntaxException | IOException | RuntimeException ex)
        {
            // no usable location (a custom class loader): only the other two ways remain
            return Optional.empty();
        }
    }

    /**
     * The tools module's build directory ({@code tools/target}, next to {@code tools/lab}), where lab tests leave
     * their logs and results; the working directory's {@code target} if the script is not found.
     *
     * @return the directory (it may not exist yet).
     */
    public static Path targetDirectory()
    {
        return locateScript()
            .map(script -> script.toAbsolutePath().getParent().getParent().resolve("target"))
            .orElseGet(() -> Path.of("target").toAbsolutePath());
    }

    /**
     * @return this lab's prefix; namespaces are named {@code PREFIX-HOST}.
     */
    public String prefix()
    {
        return prefix;
    }

    /**
     * @param host a lab host.
     * @return its network namespace, e.g. for {@code ip netns exec}.
     */
    public String namespace(final String host)
    {
        requireHost(host);
        return prefix + "-" + host;
    }

    /**
     * The main IPv4 address of a host: the same in every lab (e.g. srv 198.18.0.10, a 198.19.1.10).
     *
     * @param host a lab host.
     * @return its address as text.
     */
    public String addr(final String host)
    {
        requireHost(host);
        return addressCache.computeIfAbsent(
            host,
            h -> netlab(QUICK_TIMEOUT, "addr", h).requireSuccess("netlab.sh addr " + h).stdout().strip());
    }

    /**
     * Runs a command inside a host's namespace and waits for it, at most {@code timeout}.
     *
     * @param host    a lab host.
     * @param timeout when to kill the command.
     * @param command the command line.
     * @return its exit code and output; a timed-out command is killed and reported as such.
     */
    public ExecResult exec(final String host, final Duration timeout, final String... command)
    {
        return exec(host, timeout, List.of(command));
    }

    /**
     * Runs a command inside a host's namespace and waits for it, at most {@code timeout}.
     *
     * @param host    a lab host.
     * @param timeout when to kill the command.
     * @param command the command line, e.g. from {@link #javaCommand}.
     * @return its exit code and output; a timed-out command is killed and reported as such.
     */
    public ExecResult exec(final String host, final Duration timeout, final List<String> command)
    {
        requireHost(host);
        final List<String> args = new ArrayList<>(List.of("exec", host));
        args.addAll(command);
        return netlab(timeout, args.toArray(String[]::new));
    }

    /**
     * Starts a long-running command inside a host's namespace, its output going to {@code logFile}. It is stopped
     * by {@link Background#stop()} or at the latest by {@link #close()}.
     *
     * @param host    a lab host.
     * @param logFile where stdout and stderr go (truncated first).
     * @param command the command line.
     * @return a handle to stop it and read its log.
     * @throws LabException if it cannot be started or exits at once with an error.
     */
    public Background startBackground(final String host, final Path logFile, final String... command)
    {
        return startBackground(host, logFile, List.of(command));
    }

    /**
     * Starts a long-running command inside a host's namespace, its output going to {@code logFile}. It is stopped
     * by {@link Background#stop()} or at the latest by {@link #close()}.
     *
     * @param host    a lab host.
     * @param logFile where stdout and stderr go (truncated first).
     * @param command the command line, e.g. from {@link #javaCommand}.
     * @return a handle to stop it and read its log.
     * @throws LabException if it cannot be started or exits at once with an error.
     */
    public Background startBackground(final String host, final Path logFile, final List<String> command)
    {
        requireHost(host);
        final List<String> args = new ArrayList<>(List.of("run-bg", host, logFile.toAbsolutePath().toString()));
        args.addAll(command);
        final ExecResult result = netlab(QUICK_TIMEOUT, args.toArray(String[]::new))
            .requireSuccess("starting " + String.join(" ", command) + " in " + host);
        final long pid;
        try
        {
            pid = Long.parseLong(result.stdout().strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new LabException("netlab.sh run-bg printed no pid: " + result.describe(), ex);
        }
        // no handle when it already exited with status 0: then it only serves to read the log
        return new Background(host, logFile, pid, ProcessHandle.of(pid).orElse(null));
    }

    /**
     * Waits until something in {@code host} has a UDP socket bound to {@code port}.
     *
     * @param host           a lab host.
     * @param port           the UDP port.
     * @param timeoutSeconds how long to wait at most (fractions allowed).
     * @throws LabException if nothing is bound in time.
     */
    public void waitUdp(final String host, final int port, final double timeoutSeconds)
    {
        requireHost(host);
        final String seconds = String.format(Locale.ROOT, "%.3f", timeoutSeconds);
        final Duration limit = Duration.ofMillis((long)(timeoutSeconds * 1000)).plus(QUICK_TIMEOUT);
        netlab(limit, "wait-udp", host, Integer.toString(port), seconds)
            .requireSuccess("waiting for udp/" + port + " in " + host);
    }

    /**
     * Switches one router's NAT mode in place; its conntrack table is flushed, so old mappings are gone.
     *
     * @param side {@code "a"}, {@code "b"} or {@code "c"} (router rta, rtb, rtc).
     * @param mode the new mode.
     */
    public void setNat(final String side, final NatMode mode)
    {
        if (!SIDES.contains(side))
        {
            throw new IllegalArgumentException("side must be one of a, b, c: " + side);
        }
        netlab(SCRIPT_TIMEOUT, "nat", side, mode.scriptName()).requireSuccess("nat " + side + " " + mode);
    }

    /**
     * Drops a share of the IPv4 frames crossing the internet bridge, each hop, each direction.
     *
     * @param percent 1-100, or 0 to remove the loss.
     */
    public void impairLoss(final int percent)
    {
        if (percent < 0 || percent > 100)
        {
            throw new IllegalArgumentException("percent must be 0-100: " + percent);
        }
        if (0 == percent)
        {
            netlab(QUICK_TIMEOUT, "impair", "--clear").requireSuccess("impair --clear");
        }
        else
        {
            netlab(QUICK_TIMEOUT, "impair", "--loss", Integer.toString(percent)).requireSuccess("impair --loss");
        }
    }

    /**
     * Runs any netlab.sh command on this lab (e.g. {@code "conntrack", "a"} or {@code "delay", "rta", "30"}).
     *
     * @param timeout when to kill it.
     * @param args    the command and its arguments, without {@code --prefix}.
     * @return its result.
     */
    public ExecResult netlab(final Duration timeout, final String... args)
    {
        // through bash: a checkout without the executable bit (core.fileMode false) still works
        final List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--prefix", prefix, "-q"));
        command.addAll(Arrays.asList(args));
        return BoundedProcess.run(command, timeout);
    }

    /**
     * Tears the lab down: stops the background processes and deletes the namespaces. Safe to call twice.
     *
     * @throws LabException if netlab.sh down fails (namespaces may be left behind).
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignored)
        {
            // the JVM is shutting down: the hook runs down itself
        }
        final long startNanos = System.nanoTime();
        final ExecResult result = down();
        if (!result.succeeded())
        {
            throw new LabException("lab '" + prefix + "' down failed: " + result.describe());
        }
        System.out.println("netlab: lab '" + prefix + "' down in " + millisSince(startNanos) + " ms");
    }

    private static long millisSince(final long startNanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private ExecResult down()
    {
        return netlab(SCRIPT_TIMEOUT, "down");
    }

    @Override
    public String toString()
    {
        return "NetLab[" + prefix + "]";
    }

    private static void addOption(final List<String> args, final String option, final String value)
    {
        if (null != value)
        {
            args.add(option);
            args.add(value);
        }
    }

    /**
     * A lab prefix that no live lab uses: {@code nl}, a few letters of the hint, a random suffix.
     *
     * @param hint a few letters that tell whose lab it is.
     * @return the prefix, at most 12 characters.
     */
    public static String uniquePrefix(final String hint)
    {
        final String cleanHint = null == hint ? "" : hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        final String shortHint = cleanHint.substring(0, Math.min(cleanHint.length(),
            PREFIX_MAX_AFTER_NL - PREFIX_SUFFIX_LENGTH - 1));
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final StringBuilder suffix = new StringBuilder(PREFIX_SUFFIX_LENGTH);
            for (int i = 0; i < PREFIX_SUFFIX_LENGTH; i++)
            {
                suffix.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
            }
            final String prefix = "nl" + (shortHint.isEmpty() ? "" : shortHint + "-") + suffix;
            // 'up' on a lab that exists would adopt it instead of failing, so never reuse a live prefix
            if (!Files.exists(Path.of("/run/netns", prefix + "-inet")))
            {
                return prefix;
            }
        }
        throw new LabException("no free lab prefix for hint '" + hint + "'");
    }

    private static void requireHost(final String host)
    {
        if (!HOSTS.contains(host))
        {
            throw new IllegalArgumentException("unknown lab host '" + host + "', hosts: " + HOSTS);
        }
    }

    /**
     * A process started with {@link #startBackground}: stop it, check it, read its log.
     */
    public static final class Background
    {
        private static final Duration STOP_GRACE = Duration.ofSeconds(3);
        private static final long POLL_MILLIS = 50;

        private final String host;
        private final Path logFile;
        private final long pid;
        private final ProcessHandle handle;

        private Background(final String host, final Path logFile, final long pid, final ProcessHandle handle)
        {
            this.host = host;
            this.logFile = logFile;
            this.pid = pid;
            this.handle = handle;
        }

        /**
         * @return the lab host it runs in.
         */
        public String host()
        {
            return host;
        }

        /**
         * @return its process id.
         */
        public long pid()
        {
            return pid;
        }

        /**
         * @return the file its stdout and stderr go to.
         */
        public Path logFile()
        {
            return logFile;
        }

        /**
         * @return whether it still runs (a zombie does not: the lab's processes are orphans, reaped late by init).
         */
        public boolean isAlive()
        {
            return null != handle && handle.isAlive() && !isZombie();
        }

        /**
         * @return everything it has logged so far.
         */
        public String log()
        {
            return Files.exists(logFile) ? BoundedProcess.read(logFile) : "";
        }

        /**
         * Waits until its log contains {@code text}.
         *
         * @param text    what to wait for.
         * @param timeout how long at most.
         * @return the log at that moment.
         * @throws LabException on timeout, or if the process ends first, with the log in the message.
         */
        public String awaitLog(final String text, final Duration timeout)
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (true)
            {
                final String log = log();
                if (log.contains(text))
                {
                    return log;
                }
                if (!isAlive())
                {
                    throw new LabException("process " + pid + " in " + host + " ended before logging '" + text
                        + "'; log:" + System.lineSeparator() + log);
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new LabException("process " + pid + " in " + host + " did not log '" + text + "' within "
                        + timeout + "; log:" + System.lineSeparator() + log);
                }
                sleep(POLL_MILLIS);
            }
        }

        /**
         * Waits until it has ended by itself.
         *
         * @param timeout how long at most.
         * @return whether it ended within {@code timeout}.
         */
        public boolean awaitExit(final Duration timeout)
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (isAlive())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return false;
                }
                sleep(POLL_MILLIS);
            }
            return true;
        }

        /**
         * Stops it: SIGTERM to it and its children, SIGKILL if they outlive a short grace period.
         *
         * @throws LabException if it survives even SIGKILL for a while.
         */
        public void stop()
        {
            if (!isAlive())
            {
                return;
            }
            handle.descendants().forEach(ProcessHandle::destroy);
            handle.destroy();
            if (awaitExit(STOP_GRACE))
            {
                return;
            }
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            if (!awaitExit(STOP_GRACE))
            {
                throw new LabException("process " + pid + " in " + host + " survived SIGKILL");
            }
        }

        /**
         * Kills it at once (SIGKILL to it and its children), as a crash or a power cut would: nothing it would do
         * on a clean stop happens.
         */
        public void kill()
        {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            if (!awaitExit(STOP_GRACE))
            {
                throw new LabException("process " + pid + " in " + host + " survived SIGKILL");
            }
        }

        private boolean isZombie()
        {
            try
            {
                final String stat = new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.ISO_8859_1);
                // the command name (field 2) may hold anything; the state follows its closing parenthesis
                final int afterName = stat.lastIndexOf(") ");
                return afterName > 0 && stat.length() > afterName + 2 && 'Z' == stat.charAt(afterName + 2);
            }
            catch (final IOException ex)
            {
                // gone from /proc: reaped
                return true;
            }
        }

        @Override
        public String toString()
        {
            return "Background[pid " + pid + " in " + host + ", log " + logFile + "]";
        }

        private static void sleep(final long millis)
        {
            try
            {
                Thread.sleep(millis);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted", ex);
            }
        }
    }
}
