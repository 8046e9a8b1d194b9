package dev.introducer.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code introducer} command: the entry point of the launcher {@code tools/bin/introducer}.
 * <p>
 * Subcommands arrive with the engine, relay and tools issues; for now the command prints its version and usage.
 */
@Command(
    name = "introducer",
    mixinStandardHelpOptions = true,
    versionProvider = IntroducerCommand.VersionProvider.class,
    description = "UDP NAT traversal: introducer node, NAT discovery, hole punching and relay.")
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
        System.exit(new CommandLine(new IntroducerCommand()).execute(args));
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
