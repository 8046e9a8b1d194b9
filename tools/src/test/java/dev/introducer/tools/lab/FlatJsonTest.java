package dev.introducer.tools.lab;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab tests' JSON parser reads the CLI's flat objects and rejects anything else.
 */
@DisplayName("FlatJson reads flat JSON objects, strictly")
class FlatJsonTest
{
    @Test
    @DisplayName("reads strings, integers, decimals, booleans and null, in order")
    void readsEveryValueType()
    {
        final Map<String, Object> object = FlatJson.parseObject(
            " {\"event\":\"connected\", \"ms\": 123, \"rate\": -1.5e0, \"ok\":true, \"bad\":false, \"none\":null,"
                + " \"s\":\"a\\\"b\\\\c\\u00e9\\n\"}\n");
        assertEquals(List.of("event", "ms", "rate", "ok", "bad", "none", "s"), List.copyOf(object.keySet()));
        assertEquals("connected", object.get("event"));
        assertEquals(123L, object.get("ms"));
        assertEquals(-1.5, object.get("rate"));
        assertEquals(Boolean.TRUE, object.get("ok"));
        assertEquals(Boolean.FALSE, object.get("bad"));
        assertNull(object.get("none"));
        assertTrue(object.containsKey("none"));
        assertEquals("a\"b\\c\u00e9\n", object.get("s"));
        assertEquals(Map.of(), FlatJson.parseObject("{}"));
    }

    @Test
    @DisplayName("reads one object per line and skips blank lines")
    void readsJsonLines()
    {
        final List<Map<String, Object>> events =
            FlatJson.parseLines("{\"event\":\"nat\"}\n\n{\"event\":\"summary\"}\r\n");
        assertEquals(2, events.size());
        assertEquals("summary", events.get(1).get("event"));
    }

    @Test
    @DisplayName("picks the JSON lines out of a mixed log")
    void picksObjectLinesFromALog()
    {
        final List<Map<String, Object>> events = FlatJson.parseObjectLines(
            "starting\n{\"event\":\"listening\",\"address\":\"198.18.0.10:3456\"}\nWARNING: x\n");
        assertEquals(1, events.size());
        assertEquals("198.18.0.10:3456", events.get(0).get("address"));
    }

    @Test
    @DisplayName("rejects text that is not exactly one flat object")
    void rejectsEverythingElse()
    {
        for (final String bad : List.of("", "progress", "{\"a\":1", "{\"a\":1}x", "{\"a\":{}}", "{\"a\":[1]}",
            "{\"a\":1,}", "{a:1}", "{\"a\":tru}", "{\"a\":1,\"a\":2}", "{\"a\":\"\\q\"}", "[1]"))
        {
            assertThrows(IllegalArgumentException.class, () -> FlatJson.parseObject(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parseLines("{\"event\":\"nat\"}\nprogress\n"));
    }
}
