package dev.introducer.tools.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table with padded columns, readable as plain text in a terminal or a build log and pasteable into a
 * README: the lab's connect-time table and {@code introducer demo}'s results.
 */
public final class MarkdownTable
{
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param header the column names.
     */
    public MarkdownTable(final String... header)
    {
        rows.add(header.clone());
    }

    /**
     * Adds a row.
     *
     * @param cells one per column.
     * @return this.
     * @throws IllegalArgumentException if the count differs from the header's.
     */
    public MarkdownTable row(final String... cells)
    {
        if (cells.length != rows.get(0).length)
        {
            throw new IllegalArgumentException("expected " + rows.get(0).length + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /**
     * @return the table, one line per row after the header and its rule, each line ending in a line separator.
     */
    public String render()
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] cells : rows)
        {
            for (int i = 0; i < cells.length; i++)
            {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++)
        {
            appendLine(out, rows.get(r), widths);
            if (0 == r)
            {
                final String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++)
                {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendLine(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void appendLine(final StringBuilder out, final String[] cells, final int[] widths)
    {
        out.append('|');
        for (int i = 0; i < cells.length; i++)
        {
            out.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        out.append(System.lineSeparator());
    }
}
