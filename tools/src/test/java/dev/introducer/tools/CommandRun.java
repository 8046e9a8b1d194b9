package dev.introducer.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine;

/**
 * One in-process run of the {@code introducer} command with its stdout and stderr captured.
 */
final class CommandRun
{
    private final CommandLine commandLine;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private volatile int exitCode = -1;

    /**
     * A run of the command line built as the launcher builds it.
     */
    CommandRun()
    {
        this(IntroducerCommand.newCommandLine());
    }

    /**
     * A run of a given command line.
     *
     * @param commandLine for example a bare {@code new CommandLine(new IntroducerCommand())}.
     */
    CommandRun(final CommandLine commandLine)
    {
        this.commandLine = commandLine;
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    /**
     * Executes the command in the calling thread.
     *
     * @param args the arguments.
     * @return this, with the exit code set.
     */
    CommandRun execute(final String... args)
    {
        exitCode = commandLine.execute(args);
        return this;
    }

    /**
     * The subcommand object picocli made, to reach a command's test hooks.
     *
     * @param name of the subcommand.
     * @param <T>  its type.
     * @return the command object.
     */
    @SuppressWarnings("unchecked")
    <T> T subcommand(final String name)
    {
        return (T)commandLine.getSubcommands().get(name).getCommand();
    }

    int exitCode()
    {
        return exitCode;
    }

    String out()
    {
        return out.toString();
    }

    String err()
    {
        return err.toString();
    }

    List<String> outLines()
    {
        return lines(out());
    }

    List<String> errLines()
    {
        return lines(err());
    }

    /**
     * Stdout and stderr, for assertion messages.
     *
     * @return both, labelled.
     */
    String transcript()
    {
        return "exit " + exitCode + "\n--- stdout\n" + out() + "--- stderr\n" + err();
    }

    /**
     * A UDP port on 127.0.0.1 that was free a moment ago.
     *
     * @return the port.
     */
    static int freePort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> lines(final String text)
    {
        return Arrays.stream(text.split("\\R")).filter(line -> !line.isEmpty()).toList();
    }
}
