package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code --version} and {@code --help} follow picocli's conventions: {@code -V}/{@code --version} and
 * {@code -h}/{@code --help} on the top command and on every subcommand, printed on stdout, exit code 0.
 */
@DisplayName("introducer --version and --help")
class VersionAndHelpTest
{
    private static final List<String> COMMANDS = List.of("node", "nat", "peer", "demo");

    @Test
    @DisplayName("-V and --version print the project's version, then the JVM and the OS, on stdout, exit 0")
    void versionNamesTheProjectVersionTheJvmAndTheOs()
    {
        for (final String option : List.of("--version", "-V"))
        {
            final CommandRun run = new CommandRun().execute(option);
            assertEquals(0, run.exitCode(), run::transcript);
            final List<String> lines = run.outLines();
            assertTrue(lines.get(0).matches("introducer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), run::transcript);
            assertTrue(lines.get(1).startsWith("JVM: " + System.getProperty("java.version")), run::transcript);
            assertTrue(lines.get(2).startsWith("OS: "), run::transcript);
            assertEquals("", run.err(), run::transcript);
        }
    }

    @Test
    @DisplayName("-h and --help print the usage with every command on stdout, exit 0")
    void helpListsEveryCommand()
    {
        for (final String option : List.of("--help", "-h"))
        {
            final CommandRun run = new CommandRun().execute(option);
            assertEquals(0, run.exitCode(), run::transcript);
            assertTrue(run.out().startsWith("Usage: introducer [-hV] [COMMAND]"), run::transcript);
            assertTrue(run.out().contains("  -h, --help      Show this help message and exit."), run::transcript);
            assertTrue(run.out().contains("  -V, --version   Print version information and exit."), run::transcript);
            for (final String command : COMMANDS)
            {
                assertTrue(run.out().contains("\n  " + command + " "), command + ": " + run.transcript());
            }
        }
    }

    @Test
    @DisplayName("every subcommand has --help and --version too")
    void everySubcommandHasHelpAndVersion()
    {
        for (final String command : COMMANDS)
        {
            final CommandRun help = new CommandRun().execute(command, "--help");
            assertEquals(0, help.exitCode(), help::transcript);
            assertTrue(help.out().startsWith("Usage: introducer " + command + " "), help::transcript);
            assertTrue(help.out().contains("-h, --help"), help::transcript);
            assertTrue(help.out().contains("Exit codes:"), help::transcript);

            final CommandRun version = new CommandRun().execute(command, "-V");
            assertEquals(0, version.exitCode(), version::transcript);
            assertTrue(version.out().startsWith("introducer "), version::transcript);
        }
    }
}
