package dev.introducer.tools.lab;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One finished run of the {@code introducer} CLI in a lab host, with its JSON output parsed.
 * <p>
 * With {@code --json} the CLI prints only JSON on stdout (progress goes to stderr): {@link #events()} throws an
 * {@link AssertionError} (a test failure; the demo reports it as a broken run) on any stdout line that is not a
 * flat JSON object.
 */
public final class CliRun
{
    private final String host;
    private final ExecResult result;

    /**
     * @param host   the lab host it ran in.
     * @param result how it ended and what it printed.
     */
    public CliRun(final String host, final ExecResult result)
    {
        this.host = host;
        this.result = result;
    }

    /**
     * @return the lab host it ran in.
     */
    public String host()
    {
        return host;
    }

    /**
     * @return how it ended and what it printed.
     */
    public ExecResult result()
    {
        return result;
    }

    /**
     * @return every stdout line as a JSON object, in order.
     * @throws AssertionError if a line is not one.
     */
    public List<Map<String, Object>> events()
    {
        try
        {
            return FlatJson.parseLines(result.stdout());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new AssertionError("stdout of the CLI in " + host + " is not JSON lines (" + ex.getMessage() + "): "
                + describe(), ex);
        }
    }

    /**
     * @return the whole of stdout as one JSON object, as {@code introducer nat --json} prints it.
     */
    public Map<String, Object> object()
    {
        try
        {
            return FlatJson.parseObject(result.stdout().strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new AssertionError("stdout of the CLI in " + host + " is not one flat JSON object ("
                + ex.getMessage() + "): " + describe(), ex);
        }
    }

    /**
     * @param name an event name, e.g. {@code "connected"}.
     * @return the events of that name, in order.
     */
    public List<Map<String, Object>> events(final String name)
    {
        return events().stream().filter(event -> name.equals(event.get("event"))).toList();
    }

    /**
     * @param name an event name.
     * @return the first event of that name, if any.
     */
    public Optional<Map<String, Object>> first(final String name)
    {
        return events(name).stream().findFirst();
    }

    /**
     * @param name an event name.
     * @return the last event of that name, if any.
     */
    public Optional<Map<String, Object>> last(final String name)
    {
        final List<Map<String, Object>> events = events(name);
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    /**
     * @return the host, the CLI's arguments (without the JVM's long command line), how it ended and its output,
     *     for failure messages.
     */
    public String describe()
    {
        final List<String> command = result.command();
        final int main = command.indexOf(IntroducerCli.MAIN_CLASS);
        final String shown = main < 0
            ? String.join(" ", command)
            : "introducer " + String.join(" ", command.subList(main + 1, command.size()));
        return "[" + host + "] " + shown + System.lineSeparator()
            + (result.timedOut() ? "  TIMED OUT (killed)" : "  exit code " + result.exitCode())
            + System.lineSeparator()
            + "  stdout: " + result.stdout().strip() + System.lineSeparator()
            + "  stderr: " + result.stderr().strip();
    }

    @Override
    public String toString()
    {
        return "CliRun[" + host + ", exit " + result.exitCode() + (result.timedOut() ? ", timed out" : "") + "]";
    }
}
