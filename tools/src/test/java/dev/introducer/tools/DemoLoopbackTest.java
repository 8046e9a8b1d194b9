package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code introducer demo --loopback}: the fallback without a lab runs the same six pairs on 127.0.0.1 and says
 * why the NAT cases were skipped.
 */
@DisplayName("introducer demo --loopback")
class DemoLoopbackTest
{
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("says why the NAT cases were skipped, and every loopback pair connects and gets its messages back")
    void loopbackFallbackSaysWhyAndEveryPairConnects()
    {
        final CommandRun demo = new CommandRun().execute("demo", "--loopback", "--messages", "20");

        assertEquals(ExitCodes.OK, demo.exitCode(), demo::transcript);
        assertTrue(demo.err().contains("introducer: demo: NAT cases skipped: --loopback was given."),
            demo::transcript);
        assertTrue(demo.out().contains("NAT cases skipped: --loopback was given; these pairs ran on loopback."),
            demo::transcript);
        final List<DemoTableRow> rows = DemoTableRow.parse(demo.out());
        assertEquals(DemoCase.ALL.stream().map(DemoCase::name).toList(),
            rows.stream().map(DemoTableRow::name).toList(), demo::transcript);
        for (final DemoTableRow row : rows)
        {
            assertEquals("static ↔ static", row.nats(), "no NAT on loopback: " + row);
            assertTrue(row.path().matches("direct|local"), "a loopback pair connects directly: " + row);
            assertEquals("20/20", row.echoed(), "every message came back: " + row);
            assertEquals("ok", row.result(), row::toString);
        }
        // progress while each pair runs, never a silent wait
        for (int i = 1; i <= DemoCase.ALL.size(); i++)
        {
            assertTrue(demo.err().contains("introducer: demo: case " + i + "/6 "), demo::transcript);
        }
    }
}
