package dev.introducer.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the table {@code introducer demo} prints, as the tests read it.
 *
 * @param name    the case, e.g. {@code easy↔hard}.
 * @param nats    e.g. {@code easy ↔ hard}.
 * @param path    e.g. {@code direct}.
 * @param echoed  e.g. {@code 100/100}.
 * @param result  {@code ok} or the problem.
 */
record DemoTableRow(String name, String nats, String path, String echoed, String result)
{
    /**
     * @param output the demo's stdout.
     * @return the table's rows after the header and its rule.
     */
    static List<DemoTableRow> parse(final String output)
    {
        final List<DemoTableRow> rows = new ArrayList<>();
        for (final String line : output.split("\\R"))
        {
            if (!line.startsWith("| ") || line.startsWith("| #") || line.startsWith("| -"))
            {
                continue;
            }
            final String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                .map(String::strip).toArray(String[]::new);
            // # | case | NATs | path | strategy | connect ms | probes | echoed | result
            rows.add(new DemoTableRow(cells[1], cells[2], cells[3], cells[7], cells[8]));
        }
        return rows;
    }
}
