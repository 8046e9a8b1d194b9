package dev.introducer.tools.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the flat JSON objects that the {@code introducer} CLI prints: one object whose values are
 * strings, numbers, booleans or {@code null} (no nested objects or arrays). Enough for the lab tests, and strict on
 * purpose: output that is not such an object is a deviation from the CLI's specification and fails the test.
 * <p>
 * Numbers become {@link Long} when they are integers, {@link Double} otherwise.
 */
public final class FlatJson
{
    private final String text;
    private int position;

    private FlatJson(final String text)
    {
        this.text = text;
    }

    /**
     * Parses one flat object; whitespace (newlines included) around and inside it is allowed.
     *
     * @param text the whole text, e.g. {@code {"event":"nat","public":"198.18.0.101:3456"}}.
     * @return its members in order; a JSON {@code null} is a {@code null} value.
     * @throws IllegalArgumentException if the text is not exactly one flat JSON object.
     */
    public static Map<String, Object> parseObject(final String text)
    {
        final FlatJson parser = new FlatJson(text);
        final Map<String, Object> object = parser.object();
        parser.skipWhitespace();
        if (parser.position != text.length())
        {
            throw parser.error("text after the object");
        }
        return object;
    }

    /**
     * Parses output that holds one flat object per line, as {@code introducer peer --json} prints; blank lines are
     * skipped, any other line must be an object.
     *
     * @param text the output.
     * @return the objects in order.
     * @throws IllegalArgumentException naming the first line that is not a flat JSON object.
     */
    public static List<Map<String, Object>> parseLines(final String text)
    {
        final List<Map<String, Object>> objects = new ArrayList<>();
        final String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].isBlank())
            {
                continue;
            }
            try
            {
                objects.add(parseObject(lines[i]));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(
                    "line " + (i + 1) + " is not a flat JSON object: " + ex.getMessage(), ex);
            }
        }
        return Collections.unmodifiableList(objects);
    }

    /**
     * Parses the lines of a mixed log (stdout and stderr together) that look like JSON objects, i.e. start with
     * <code>{</code> after optional whitespace; every such line must parse.
     *
     * @param log the log.
     * @return the objects in order.
     */
    public static List<Map<String, Object>> parseObjectLines(final String log)
    {
        final List<Map<String, Object>> objects = new ArrayList<>();
        for (final String line : log.split("\\R"))
        {
            if (line.strip().startsWith("{"))
            {
                objects.add(parseObject(line));
            }
        }
        return Collections.unmodifiableList(objects);
    }

    private Map<String, Object> object()
    {
        skipWhitespace();
        expect('{');
        final Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}')
        {
            position++;
            return members;
        }
        while (true)
        {
            skipWhitespace();
            final String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (members.containsKey(key))
            {
                throw error("duplicate key \"" + key + "\"");
            }
            members.put(key, value());
            skipWhitespace();
            final char next = next();
            if (next == '}')
            {
                return members;
            }
            if (next != ',')
            {
                position--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private Object value()
    {
        final char c = peek();
        if (c == '"')
        {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return number();
        }
        if (text.startsWith("true", position))
        {
            position += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", position))
        {
            position += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", position))
        {
            position += 4;
            return null;
        }
        if (c == '{' || c == '[')
        {
            throw error("nested objects and arrays are not expected here");
        }
        throw error("expected a value");
    }

    private String string()
    {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                position--;
                throw error("control character in a string");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char escaped = next();
            switch (escaped)
            {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' ->
                {
                    if (position + 4 > text.length())
                    {
                        throw error("short \\u escape");
                    }
                    try
                    {
                        out.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("bad \\u escape");
                    }
                    position += 4;
                }
                default ->
                {
                    position--;
                    throw error("bad escape");
                }
            }
        }
    }

    private Number number()
    {
        final int start = position;
        if (peek() == '-')
        {
            position++;
        }
        final int digitsStart = position;
        while (position < text.length() && Character.isDigit(text.charAt(position)))
        {
            position++;
        }
        if (position == digitsStart)
        {
            throw error("expected digits");
        }
        boolean integral = true;
        if (position < text.length() && text.charAt(position) == '.')
        {
            integral = false;
            position++;
            while (position < text.length() && Character.isDigit(text.charAt(position)))
            {
                position++;
            }
        }
        if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E'))
        {
            integral = false;
            position++;
            if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-'))
            {
                position++;
            }
            while (position < text.length() && Character.isDigit(text.charAt(position)))
            {
                position++;
            }
        }
        final String literal = text.substring(start, position);
        try
        {
            return integral ? (Number)Long.valueOf(literal) : (Number)Double.valueOf(literal);
        }
        catch (final NumberFormatException ex)
        {
            throw error("bad number '" + literal + "'");
        }
    }

    private void skipWhitespace()
    {
        while (position < text.length())
        {
            final char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            position++;
        }
    }

    private char peek()
    {
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        return text.charAt(position);
    }

    private char next()
    {
        final char c = peek();
        position++;
        return c;
    }

    private void expect(final char expected)
    {
        if (peek() != expected)
        {
            throw error("expected '" + expected + "'");
        }
        position++;
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at offset " + position + " in: " + text);
    }
}
