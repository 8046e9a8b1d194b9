package dev.introducer.tools.lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.introducer.tools.IntroducerCommand;
import picocli.CommandLine;

/**
 * A running node's counters, read from its counters file ({@code --counters-file}) the way an operator reads them:
 * {@code introducer stat}, here run in this JVM (the file is on the host's disk, outside the lab's network). The
 * node publishes its counters every 100 ms.
 */
final class LabCounters
{
    /** The label of the node engines' joins counter (both introducer addresses feed it). */
    static final String JOINS_RECEIVED = "engine joins received";
    /** The label of the node relay's forwarded-datagrams counter. */
    static final String RELAY_FORWARDED = "relay datagrams forwarded";

    /** {@code stat}'s line per counter: {@code "%3d: %,20d - label"}. */
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+([-0-9,]+) - (.+)$");

    private LabCounters()
    {
    }

    /**
     * @param countersFile a node's counters file.
     * @return every counter by its label; empty if the file is not there (yet).
     */
    static Map<String, Long> read(final Path countersFile)
    {
        final StringWriter out = new StringWriter();
        final CommandLine command = IntroducerCommand.newCommandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(new StringWriter()));
        final Map<String, Long> counters = new HashMap<>();
        if (0 != command.execute("stat", "--counters-file", countersFile.toString()))
        {
            return counters;
        }
        for (final String line : out.toString().split("\n"))
        {
            final Matcher matcher = LINE.matcher(line);
            if (matcher.matches())
            {
                counters.put(matcher.group(2).strip(), Long.parseLong(matcher.group(1).replace(",", "")));
            }
        }
        return counters;
    }

    /**
     * @param node a node started with its counters file next to its log, as {@link IntroducerCli#startNode} and
     *             {@link LabRelays#startRelayNode} do.
     * @return that file.
     */
    static Path fileOf(final NetLab.Background node)
    {
        final Path log = node.logFile();
        return log.resolveSibling(log.getFileName() + ".counters.dat");
    }
}
