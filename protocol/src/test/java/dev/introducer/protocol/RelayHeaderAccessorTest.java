package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The static accessors a relay routes by before its core decodes ({@link RelayBindFlyweight#isBind},
 * {@link RelayBindFlyweight#sessionId(DirectBuffer, int)}, {@link RelayDataFlyweight#isRelayData},
 * {@link RelayDataFlyweight#channelId(DirectBuffer, int)}): they read what the decoder's flyweights read,
 * and on untrusted bytes they answer false instead of throwing or reading outside the datagram.
 */
class RelayHeaderAccessorTest
{
    private static final int OFFSET = 5;
    private static final long SESSION_ID = 0x8123_4567_89AB_CDEFL;
    private static final int CHANNEL_ID = 0xF00D_0001;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + 1024]);
    private final FrameDecoder decoder = new FrameDecoder();

    private int encodeBind(final int type)
    {
        final int length = new TestFrames().encode(type, buffer, OFFSET, new SplittableRandom(1), 0);
        buffer.putLong(OFFSET + RelayBindFlyweight.SESSION_ID_OFFSET, SESSION_ID, ByteOrder.BIG_ENDIAN);
        return length;
    }

    private int encodeData(final int payloadLength)
    {
        new RelayDataFlyweight().wrapForRelayData(buffer, OFFSET, payloadLength).channelId(CHANNEL_ID);
        return RelayDataFlyweight.PAYLOAD_OFFSET + payloadLength;
    }

    @Test
    @DisplayName("a RELAY_BIND: isBind, and sessionId reads what the decoded flyweight reads")
    void bindSessionIdMatchesTheDecoder()
    {
        final int length = encodeBind(MessageType.RELAY_BIND);

        assertTrue(RelayBindFlyweight.isBind(buffer, OFFSET, length));
        assertEquals(SESSION_ID, RelayBindFlyweight.sessionId(buffer, OFFSET));
        assertEquals(MessageType.RELAY_BIND, decoder.decode(buffer, OFFSET, length));
        assertEquals(decoder.relayBind().sessionId(), RelayBindFlyweight.sessionId(buffer, OFFSET));
        assertFalse(RelayDataFlyweight.isRelayData(buffer, OFFSET, length), "a bind is not data");
    }

    @Test
    @DisplayName("a RELAY_DATA, even with an empty payload: isRelayData, and channelId reads what the decoder reads")
    void dataChannelIdMatchesTheDecoder()
    {
        for (final int payload : new int[] {0, 100})
        {
            final int length = encodeData(payload);

            assertTrue(RelayDataFlyweight.isRelayData(buffer, OFFSET, length));
            assertEquals(CHANNEL_ID, RelayDataFlyweight.channelId(buffer, OFFSET));
            assertEquals(MessageType.RELAY_DATA, decoder.decode(buffer, OFFSET, length));
            assertEquals(decoder.relayData().channelId(), RelayDataFlyweight.channelId(buffer, OFFSET));
            assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, length), "data is not a bind");
        }
    }

    @Test
    @DisplayName("truncated: one byte short of the fixed header is refused")
    void truncatedIsRefused()
    {
        assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, encodeBind(MessageType.RELAY_BIND) - 1));
        assertFalse(RelayDataFlyweight.isRelayData(buffer, OFFSET, RelayDataFlyweight.PAYLOAD_OFFSET - 1));
        encodeData(0);
        for (int length = -1; length < RelayDataFlyweight.PAYLOAD_OFFSET; length++)
        {
            assertFalse(RelayDataFlyweight.isRelayData(buffer, OFFSET, length), "length " + length);
            assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, length), "length " + length);
        }
    }

    @Test
    @DisplayName("wrong type: a RELAY_OFFER (the bind's layout) is not a bind, nor data")
    void wrongTypeIsRefused()
    {
        final int length = encodeBind(MessageType.RELAY_OFFER);

        assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, length));
        assertFalse(RelayDataFlyweight.isRelayData(buffer, OFFSET, length));
    }

    @Test
    @DisplayName("not our frame: another magic or version is refused")
    void foreignHeaderIsRefused()
    {
        final int length = encodeBind(MessageType.RELAY_BIND);
        buffer.putByte(OFFSET + FrameHeader.VERSION_OFFSET, (byte)(FrameHeader.VERSION + 1));
        assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, length), "version");

        encodeBind(MessageType.RELAY_BIND);
        buffer.putByte(OFFSET + FrameHeader.MAGIC_1_OFFSET, (byte)0);
        assertFalse(RelayBindFlyweight.isBind(buffer, OFFSET, length), "magic");
    }

    @Test
    @DisplayName("a length or offset beyond the buffer, or no buffer, is refused without reading")
    void outOfBoundsIsRefusedWithoutThrowing()
    {
        final int bindLength = encodeBind(MessageType.RELAY_BIND);
        final UnsafeBuffer exact = new UnsafeBuffer(new byte[bindLength]);
        exact.putBytes(0, buffer, OFFSET, bindLength);

        assertTrue(RelayBindFlyweight.isBind(exact, 0, bindLength));
        assertFalse(RelayBindFlyweight.isBind(exact, 0, bindLength + 1), "longer than the buffer");
        assertFalse(RelayBindFlyweight.isBind(exact, 1, bindLength), "runs past the end");
        assertFalse(RelayBindFlyweight.isBind(exact, -1, bindLength), "negative offset");
        assertFalse(RelayBindFlyweight.isBind(exact, Integer.MAX_VALUE, bindLength), "offset overflows");
        assertFalse(RelayBindFlyweight.isBind(exact, 0, Integer.MAX_VALUE), "length overflows");
        assertFalse(RelayBindFlyweight.isBind(null, 0, bindLength), "no buffer");
        assertFalse(RelayDataFlyweight.isRelayData(exact, bindLength, RelayDataFlyweight.PAYLOAD_OFFSET), "at the end");
        assertFalse(RelayDataFlyweight.isRelayData(null, 0, RelayDataFlyweight.PAYLOAD_OFFSET), "no buffer");
    }
}
