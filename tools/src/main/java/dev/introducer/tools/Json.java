package dev.introducer.tools;

/**
 * A one-line JSON object builder for the machine output of the commands: just enough JSON (strings, numbers,
 * booleans and null) to need no library. Not thread-safe; build one line per event.
 * <pre>{@code
 * final String line = new Json().field("event", "lost").field("peer", id.toHex()).end();
 * }</pre>
 */
public final class Json
{
    private final StringBuilder text = new StringBuilder(128).append('{');
    private boolean first = true;

    /**
     * Adds a string field; null is written as JSON {@code null}.
     *
     * @param name  of the field.
     * @param value of the field, or null.
     * @return this.
     */
    public Json field(final String name, final String value)
    {
        name(name);
        if (null == value)
        {
            text.append("null");
        }
        else
        {
            quote(text, value);
        }
        return this;
    }

    /**
     * Adds an integer field.
     *
     * @param name  of the field.
     * @param value of the field.
     * @return this.
     */
    public Json field(final String name, final long value)
    {
        name(name);
        text.append(value);
        return this;
    }

    /**
     * Adds a boolean field.
     *
     * @param name  of the field.
     * @param value of the field.
     * @return this.
     */
    public Json field(final String name, final boolean value)
    {
        name(name);
        text.append(value);
        return this;
    }

    /**
     * Closes the object.
     *
     * @return the object as one line of text, without a line separator.
     */
    public String end()
    {
        return text.append('}').toString();
    }

    /**
     * Appends a JSON string literal: quotes, backslashes and control characters escaped (RFC 8259, section 7).
     *
     * @param into  where to append.
     * @param value the string.
     */
    public static void quote(final StringBuilder into, final String value)
    {
        into.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> into.append("\\\"");
                case '\\' -> into.append("\\\\");
                case '\n' -> into.append("\\n");
                case '\r' -> into.append("\\r");
                case '\t' -> into.append("\\t");
                case '\b' -> into.append("\\b");
                case '\f' -> into.append("\\f");
                default ->
                {
                    // U+2028 and U+2029 are valid JSON but break JavaScript readers of the lines: escape them too.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        into.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        into.append(c);
                    }
                }
            }
        }
        into.append('"');
    }

    private void name(final String name)
    {
        if (!first)
        {
            text.append(',');
        }
        first = false;
        quote(text, name);
        text.append(':');
    }
}
