package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorCodeTest
{
    @Test
    void theSpecifiedCodesHaveTheirWireValuesAndNames()
    {
        assertEquals("ok", ErrorCode.name(0));
        assertEquals("swarm_empty", ErrorCode.name(1));
        assertEquals("unknown_peer", ErrorCode.name(2));
        assertEquals("unsupported_version", ErrorCode.name(3));
        assertEquals("rate_limited", ErrorCode.name(4));
        assertEquals("bad_request", ErrorCode.name(5));
        assertEquals("relay_unavailable", ErrorCode.name(6));
        assertEquals("token_invalid", ErrorCode.name(7));
        assertEquals("token_expired", ErrorCode.name(8));
        assertEquals("quota_exceeded", ErrorCode.name(9));
    }

    @Test
    void otherCodesAreValidOnTheWireAndReportedAsUnknown()
    {
        assertEquals("unknown", ErrorCode.name(10));
        assertEquals("unknown", ErrorCode.name(0xFFFF));
        assertFalse(ErrorCode.isKnown(10));
        assertTrue(ErrorCode.isKnown(ErrorCode.QUOTA_EXCEEDED));
    }
}
