package dev.introducer.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.introducer.tools.lab.BoundedProcess;
import dev.introducer.tools.lab.ExecResult;
import dev.introducer.tools.lab.IntroducerCli;
import dev.introducer.tools.lab.LabException;

/**
 * The demo without a lab: two introducer nodes and every peer on 127.0.0.1, each on an ephemeral port, so every
 * peer is static (no NAT) and the pairs only show the engine's handshake. A shutdown hook stops the child JVMs if
 * this one ends first (Ctrl-C).
 */
final class LoopbackDemoHosts extends DemoHosts
{
    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "introducer-demo-stop");

    /**
     * Ready to start processes; the shutdown hook is installed until {@link #close()}.
     */
    LoopbackDemoHosts()
    {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    List<String> startIntroducers(final Path logs)
    {
        final List<String> introducers = new ArrayList<>();
        for (int i = 1; i <= 2; i++)
        {
            final Running node = start("local", logs.resolve("node" + i + ".log"),
                List.of("node", "--listen", "127.0.0.1:0", "--json",
                    "--counters-file", logs.resolve("node" + i + ".counters.dat").toString()));
            final Process process = processes.get(processes.size() - 1);
            // port 0: the node picks one and announces it
            introducers.add("--introducer");
            introducers.add(String.valueOf(IntroducerCli.awaitListening(node::log, process::isAlive, Set.of(),
                NODE_START_TIMEOUT).get(0).get("address")));
        }
        return introducers;
    }

    void prepare(final DemoCase demoCase)
    {
        // nothing to set up: there are no NATs on loopback
    }

    String peerBind()
    {
        return "127.0.0.1:0";
    }

    synchronized Running start(final String host, final Path log, final List<String> args)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(IntroducerCli.command(args))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot start introducer " + String.join(" ", args), ex);
        }
        processes.add(process);
        return new Running()
        {
            public String log()
            {
                return BoundedProcess.read(log);
            }

            public void stop()
            {
                LoopbackDemoHosts.stop(process);
            }
        };
    }

    ExecResult run(final String host, final Duration limit, final List<String> args)
    {
        return BoundedProcess.run(IntroducerCli.command(args), limit);
    }

    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook stops them
        }
        stopAll();
    }

    private synchronized void stopAll()
    {
        for (final Process process : processes)
        {
            stop(process);
        }
        processes.clear();
    }

    private static void stop(final Process process)
    {
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
