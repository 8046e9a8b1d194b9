package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest
{
    @Test
    void writesFieldsInOrder()
    {
        assertEquals("{\"event\":\"summary\",\"connected\":2,\"ok\":true,\"public\":null}",
            new Json().field("event", "summary").field("connected", 2).field("ok", true)
                .field("public", (String)null).end());
    }

    @Test
    void escapesStrings()
    {
        assertEquals("{\"a\\\"b\":\"q\\\"\\\\ \\n\\r\\t\\b\\f \\u0001 \\u2028 é\"}",
            new Json().field("a\"b", "q\"\\ \n\r\t\b\f \u0001 \u2028 é").end());
    }

    @Test
    void emptyObject()
    {
        assertEquals("{}", new Json().end());
    }
}
