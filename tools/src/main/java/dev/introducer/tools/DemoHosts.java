package dev.introducer.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.introducer.tools.lab.ExecResult;

/**
 * Where {@code introducer demo} runs its nodes and peers: in the NAT lab's hosts ({@link LabDemoHosts}), or all on
 * this host's loopback ({@link LoopbackDemoHosts}). Every process runs the {@code introducer} command in a JVM of
 * its own, started from this JVM's class path.
 */
abstract class DemoHosts implements AutoCloseable
{
    /**
     * A command that runs in the background until stopped.
     */
    interface Running
    {
        /**
         * @return what it has printed so far (stdout and stderr together).
         */
        String log();

        /**
         * Stops it: SIGTERM (an echoing peer then prints its summary), SIGKILL if it does not end soon.
         */
        void stop();
    }

    /**
     * Starts the two introducer nodes and waits until they listen.
     *
     * @param logs where their logs go.
     * @return the peers' {@code --introducer} arguments.
     */
    abstract List<String> startIntroducers(Path logs);

    /**
     * Gets ready for one pair (the lab sets its routers' NAT modes, which also flushes their conntrack).
     *
     * @param demoCase the pair.
     */
    abstract void prepare(DemoCase demoCase);

    /**
     * @return the peers' {@code --bind}.
     */
    abstract String peerBind();

    /**
     * Starts {@code introducer ARGS} in a host, in the background.
     *
     * @param host the lab host (ignored on loopback).
     * @param log  its log file.
     * @param args the CLI's arguments.
     * @return the running command.
     */
    abstract Running start(String host, Path log, List<String> args);

    /**
     * Runs {@code introducer ARGS} in a host and waits for it, at most {@code limit}.
     *
     * @param host  the lab host (ignored on loopback).
     * @param limit when to kill it.
     * @param args  the CLI's arguments.
     * @return how it ended and what it printed.
     */
    abstract ExecResult run(String host, Duration limit, List<String> args);

    /**
     * Stops everything still running and removes what was built (the lab).
     */
    public abstract void close();
}
