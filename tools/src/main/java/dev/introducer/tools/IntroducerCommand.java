package dev.introducer.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code introducer} command: the entry point of the launcher {@code tools/bin/introducer}, with the
 * subcommands {@code node} (an introducer), {@code nat} (NAT discovery) and {@code peer} (join a swarm, connect,
 * exchange test messages).
 * <p>
 * Exit codes are those of {@link ExitCodes}. Build the command line with {@link #newCommandLine()} to get the
 * one-line error reporting; only {@link #main} calls {@code System.exit}, so tests run the commands in-process.
 */
@Command(
    name = "introducer",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = "UDP NAT traversal: introducer node, NAT discovery, hole punching and relay.",
    subcommands = {NodeCommand.class, NatCommand.class, PeerCommand.class, StatCommand.class, DemoCommand.class})
public final class IntroducerCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits with its code.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line with the error handlers installed: a bad option or a user error is one line on stderr and
     * exit code {@link ExitCodes#USAGE}, with no stack trace.
     *
     * @return a new command line, ready to {@code execute}.
     */
    public static CommandLine newCommandLine()
    {
        final ErrorHandlers handlers = new ErrorHandlers();
        return new CommandLine(new IntroducerCommand())
            .setParameterExceptionHandler(handlers)
            .setExecutionExceptionHandler(handlers);
    }

    /**
     * Without a subcommand the command prints its usage.
     */
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Reads the version that Maven filtered into {@code introducer-version.properties}.
     */
    public static final class VersionProvider implements CommandLine.IVersionProvider
    {
        /**
         * {@inheritDoc}
         */
        public String[] getVersion() throws IOException
        {
            final Properties properties = new Properties();
            try (InputStream in = IntroducerCommand.class.getResourceAsStream("/introducer-version.properties"))
            {
                if (null != in)
                {
                    properties.load(in);
                }
            }
            return new String[]{
                "introducer " + properties.getProperty("version", "unknown"),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
                "OS: ${os.name} ${os.version} ${os.arch}"};
        }
    }
}
