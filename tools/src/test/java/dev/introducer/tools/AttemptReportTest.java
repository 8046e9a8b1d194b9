package dev.introducer.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.journal.AttemptJournal;
import dev.introducer.engine.journal.AttemptResult;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attempt report's figures on a journal of known records: attempts, success rate, path mix, needs-relay,
 * failures by reason and time-to-connect percentiles per NAT pair, as a table and as JSON.
 */
class AttemptReportTest
{
    private static final Id32 LOCAL = Id32.sha256("local");
    private static final Id32 PEER = Id32.sha256("peer");

    @TempDir
    Path dir;

    @Test
    @DisplayName("per NAT pair and in all: attempts, success, path mix, needs-relay, failures, p50/p90/p99/max")
    void figuresOfKnownRecords()
    {
        final Path file = knownJournal();
        final AttemptReport report = AttemptReport.read(file);
        final List<String> lines = report.lines();

        assertEquals("attempt journal " + file + ": 9 appended, capacity 64", lines.get(0));
        assertEquals(List.of("pair", "attempts", "connected", "success", "direct", "local", "relay", "needs-relay",
            "failed", "p50", "ms", "p90", "ms", "p99", "ms", "max", "ms", "failures"), tokens(lines.get(1)));
        assertEquals(List.of("static→static", "1", "1", "100.0%", "0", "1", "0", "0", "0",
            "1.0", "1.0", "1.0", "1.0", "-"), tokens(lines.get(2)));
        assertEquals(List.of("easy→hard", "4", "3", "75.0%", "3", "0", "0", "0", "1",
            "20.0", "40.0", "40.0", "40.0", "timeout:1"), tokens(lines.get(3)));
        assertEquals(List.of("hard→unknown", "0", "0", "-", "0", "0", "0", "1", "0",
            "-", "-", "-", "-", "-"), tokens(lines.get(4)), "a pair with only a decision has no rate");
        assertEquals(List.of("hard→hard", "2", "1", "50.0%", "0", "0", "1", "1", "1",
            "3.0", "3.0", "3.0", "3.0", "relay-refused:1"), tokens(lines.get(5)));
        assertEquals(List.of("all", "7", "5", "71.4%", "3", "1", "1", "2", "2",
            "10.0", "40.0", "40.0", "40.0", "timeout:1", "relay-refused:1"), tokens(lines.get(6)));
        assertEquals(7, lines.size());

        final AttemptReport.PairStats easyHard = report.pair("easy→hard");
        assertEquals(20_015, easyHard.connectPercentileUs(50), "20 ms at 3 significant digits");
        assertEquals(3, easyHard.path("direct"));
        assertEquals(1, easyHard.failed());
    }

    @Test
    @DisplayName("print writes the table, printJson one object per line with the same figures")
    void printAndJson()
    {
        final Path file = knownJournal();
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        AttemptReport.print(file, new PrintStream(table, true, StandardCharsets.UTF_8));
        assertEquals(String.join(System.lineSeparator(), AttemptReport.read(file).lines()) + System.lineSeparator(),
            table.toString(StandardCharsets.UTF_8));

        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        AttemptReport.printJson(file, new PrintStream(json, true, StandardCharsets.UTF_8));
        final List<String> lines = json.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("{\"journal\":\"" + file + "\",\"appended\":9,\"capacity\":64,\"overwritten\":0,\"skipped\":0}",
            lines.get(0));
        assertEquals("{\"pair\":\"easy→hard\",\"local_nat\":\"easy\",\"remote_nat\":\"hard\",\"attempts\":4," +
            "\"connected\":3,\"direct\":3,\"local\":0,\"relay\":0,\"needs_relay\":0,\"failed\":1," +
            "\"failed_timeout\":1,\"p50_us\":20015,\"p90_us\":40031,\"p99_us\":40031,\"max_us\":40031}", lines.get(2));
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"pair\":\"all\",\"attempts\":7,\"connected\":5,"),
            lines.get(lines.size() - 1));
        assertEquals(6, lines.size());
    }

    @Test
    @DisplayName("a time past the histogram's range is clamped to it, not an error")
    void longTimeIsClamped()
    {
        final Path file = dir.resolve("long.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 16))
        {
            journal.append(1, NatType.EASY, NatType.EASY, Strategy.DIRECT, AttemptResult.CONNECTED, PathType.DIRECT,
                3_600_000_000_000L, 1, LOCAL, PEER);
        }
        final long maxUs = AttemptReport.read(file).pair("easy→easy").connectPercentileUs(100);
        assertTrue(maxUs >= AttemptReport.HIGHEST_TRACKABLE_US_DEFAULT && maxUs < 61_000_000L, "clamped: " + maxUs);
    }

    @Test
    @DisplayName("a missing or corrupt journal is a one-line user error naming the file")
    void badJournalIsAUserError() throws Exception
    {
        final Path missing = dir.resolve("missing.journal");
        assertEquals(missing + ": no such attempt journal",
            assertThrows(UserException.class, () -> AttemptReport.read(missing)).getMessage());
        final Path text = dir.resolve("text.journal");
        Files.writeString(text, "x".repeat(100));
        final String message = assertThrows(UserException.class, () -> AttemptReport.read(text)).getMessage();
        assertTrue(message.startsWith(text + ": not an attempt journal"), message);
    }

    @Test
    @DisplayName("the default journal is under XDG_STATE_HOME or ~/.local/state")
    void defaultJournalLocation()
    {
        final Path path = AttemptReport.defaultJournal();
        assertTrue(path.endsWith(Path.of("introducer", "attempts.journal")), path.toString());
        final String stateHome = System.getenv("XDG_STATE_HOME");
        final Path base = null != stateHome && !stateHome.isEmpty() ? Path.of(stateHome) :
            Path.of(System.getProperty("user.home"), ".local", "state");
        assertEquals(base, path.getParent().getParent());
    }

    /**
     * Nine records: static→static local 1 ms; easy→hard direct 10, 20, 40 ms and a timeout; hard→hard a
     * needs-relay, relay 3 ms and a refused relay; hard→unknown a needs-relay. Rows come in the order of
     * {@link NatType}: unknown, static, easy, hard.
     */
    @Test
    @DisplayName("introducer stat --attempts prints the report of a journal, --json its JSON lines")
    void statAttemptsPrintsTheReport()
    {
        final Path file = knownJournal();
        final CommandRun table = new CommandRun().execute("stat", "--attempts", "--journal", file.toString());
        assertEquals(0, table.exitCode(), table::transcript);
        assertEquals(AttemptReport.read(file).lines(), table.out().lines().toList());

        final CommandRun json = new CommandRun().execute("stat", "--attempts", "--json", "--journal", file.toString());
        assertEquals(0, json.exitCode(), json::transcript);
        assertEquals(AttemptReport.read(file).jsonLines(), json.out().lines().toList());
    }

    @Test
    @DisplayName("introducer stat --attempts on a file that is not a journal: one line, exit 2")
    void statAttemptsOnANonJournal() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("notes.txt"), "not a journal, just notes".repeat(8));
        final CommandRun run = new CommandRun().execute("stat", "--attempts", "--journal", file.toString());
        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(run.err().startsWith("introducer: error: "), run::transcript);
        assertEquals(1, run.err().lines().count(), run::transcript);
    }

    private Path knownJournal()
    {
        final Path file = dir.resolve("known.journal");
        try (AttemptJournal journal = AttemptJournal.open(file, 64))
        {
            connected(journal, NatType.STATIC, NatType.STATIC, Strategy.LOCAL, PathType.LOCAL, 1);
            connected(journal, NatType.EASY, NatType.HARD, Strategy.SPRAY_EASY_SIDE, PathType.DIRECT, 10);
            connected(journal, NatType.EASY, NatType.HARD, Strategy.SPRAY_EASY_SIDE, PathType.DIRECT, 40);
            connected(journal, NatType.EASY, NatType.HARD, Strategy.SPRAY_EASY_SIDE, PathType.DIRECT, 20);
            journal.append(5, NatType.EASY, NatType.HARD, Strategy.SPRAY_EASY_SIDE, AttemptResult.TIMEOUT, null,
                10_000_000_000L, 8_192, LOCAL, PEER);
            journal.append(6, NatType.HARD, NatType.HARD, Strategy.RELAY, AttemptResult.NEEDS_RELAY, null, 0, 0,
                LOCAL, PEER);
            connected(journal, NatType.HARD, NatType.HARD, Strategy.RELAY, PathType.RELAY, 3);
            journal.append(8, NatType.HARD, NatType.HARD, Strategy.RELAY, AttemptResult.RELAY_REFUSED, null,
                200_000_000L, 2, LOCAL, PEER);
            journal.append(9, NatType.HARD, NatType.UNKNOWN, Strategy.RELAY, AttemptResult.NEEDS_RELAY, null, 0, 0,
                LOCAL, PEER);
        }
        return file;
    }

    private static void connected(final AttemptJournal journal, final NatType local, final NatType remote,
        final Strategy strategy, final PathType path, final long ms)
    {
        journal.append(1, local, remote, strategy, AttemptResult.CONNECTED, path, ms * 1_000_000L, 1, LOCAL, PEER);
    }

    private static List<String> tokens(final String line)
    {
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
