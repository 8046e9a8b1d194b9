package dev.introducer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Optional;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.introducer.protocol.stun.Crc32;
import dev.introducer.protocol.stun.StunAttribute;
import dev.introducer.protocol.stun.StunBindingRequestEncoder;
import dev.introducer.protocol.stun.StunBindingResponder;
import dev.introducer.protocol.stun.StunMessageFlyweight;

/**
 * Feeds {@link FrameDecoder#decode} a million hostile datagrams: random bytes, and valid frames and STUN messages
 * of every kind with bits flipped, bytes set, lengths cut and extended, headers forged and RELAY inner lengths
 * rewritten. Each datagram sits in a buffer that ends exactly where it ends, so a read past it throws; nothing is
 * caught, so any exception fails the test. Every result must be a type, STUN or a documented error, and every
 * getter of an accepted frame must run.
 * <p>
 * Reproducible: {@code -Dfuzz.seed=...} (printed at start) and {@code -Dfuzz.datagrams=...}.
 */
class FrameDecoderFuzzTest
{
    private static final long DEFAULT_SEED = 0x1D7C_0DEC_5EEDL;
    private static final int DEFAULT_DATAGRAMS = 1_000_000;
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    private static final int ARENA = 70_000;
    private static final int MAX_PREFIX = 16;
    private static final int[] STUN_TYPES = {
        StunAttribute.MAPPED_ADDRESS, StunAttribute.USERNAME, StunAttribute.MESSAGE_INTEGRITY,
        StunAttribute.ERROR_CODE, StunAttribute.UNKNOWN_ATTRIBUTES, StunAttribute.REALM, StunAttribute.NONCE,
        StunAttribute.MESSAGE_INTEGRITY_SHA256, StunAttribute.PASSWORD_ALGORITHM, StunAttribute.USERHASH,
        StunAttribute.XOR_MAPPED_ADDRESS, StunAttribute.SOFTWARE, StunAttribute.ALTERNATE_SERVER,
        StunAttribute.FINGERPRINT, 0x0024, 0x0025, 0x8029, 0x802A};

    private final byte[] arena = new byte[ARENA];
    private final UnsafeBuffer work = new UnsafeBuffer(arena);
    private final UnsafeBuffer view = new UnsafeBuffer(arena, 0, 1);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[StunBindingResponder.MAX_RESPONSE_LENGTH]);
    private final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder innerDecoder = new FrameDecoder();
    private final TestFrames frames = new TestFrames();
    private final StunBindingResponder responder = new StunBindingResponder();
    private final Endpoint endpoint = new Endpoint();
    private final Endpoint source = new Endpoint();
    private final long[] resultCounts = new long[MessageType.STUN + DecodeResult.ERROR_COUNT + 1];

    private int iteration = -1;
    private int lastPrefix;
    private int lastLength;

    @RegisterExtension
    final TestWatcher reportLastDatagram = new TestWatcher()
    {
        public void testFailed(final ExtensionContext context, final Throwable cause)
        {
            final StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(lastLength, 600); i++)
            {
                hex.append(String.format("%02x", arena[lastPrefix + i]));
            }
            System.out.println("FrameDecoderFuzzTest failed at datagram " + iteration + " (prefix " + lastPrefix +
                ", length " + lastLength + "): " + hex);
        }

        public void testDisabled(final ExtensionContext context, final Optional<String> reason)
        {
        }
    };

    @Test
    void aMillionHostileDatagramsNeitherThrowNorReadOutsideTheirBounds()
    {
        final long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        final int datagrams = Integer.getInteger("fuzz.datagrams", DEFAULT_DATAGRAMS);
        System.out.println("FrameDecoderFuzzTest: seed " + seed + " (-Dfuzz.seed=" + seed + "), " + datagrams +
            " datagrams (-Dfuzz.datagrams)");
        final SplittableRandom random = new SplittableRandom(seed);
        final long start = System.nanoTime();
        long fold = 0;

        for (iteration = 0; iteration < datagrams; iteration++)
        {
            final int prefix = random.nextInt(4) == 0 ? 1 + random.nextInt(MAX_PREFIX) : 0;
            final int length = generate(random, prefix);
            lastPrefix = prefix;
            lastLength = length;
            view.wrap(arena, 0, prefix + length);

            final int result = decoder.decode(view, prefix, length);
            resultCounts[index(result)]++;
            fold += readEverything(result);

            if ((iteration & 0x3FF) == 0)
            {
                // Arguments that do not describe a range of the buffer are answered, never thrown on.
                final int offset = random.nextBoolean() ? random.nextInt() : random.nextInt(prefix + length + 2);
                index(decoder.decode(view, offset, random.nextBoolean() ? random.nextInt() : length));
            }
        }

        final long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FrameDecoderFuzzTest: " + datagrams + " datagrams in " + millis + " ms, fold " + fold);
        printAndCheckCoverage(datagrams);
    }

    private static int index(final int result)
    {
        assertTrue(MessageType.isKnown(result) || result == MessageType.STUN ||
            (result < 0 && result >= -DecodeResult.ERROR_COUNT), "not a documented result: " + result);
        return result < 0 ? MessageType.STUN - result : result;
    }

    private long readEverything(final int result)
    {
        if (result < 0)
        {
            return result;
        }
        long fold = TestFrames.readAll(decoder, result, endpoint) + TestFrames.readIds(decoder, result);
        if (result == MessageType.RELAY)
        {
            final RelayFlyweight relay = decoder.relay();
            final int inner = innerDecoder.decode(view, relay.innerOffset(), relay.innerLength());
            index(inner);
            fold += inner >= 0 ? TestFrames.readAll(innerDecoder, inner, endpoint) : inner;
        }
        else if (result == MessageType.STUN)
        {
            // Whatever a valid request looked like, the answer must itself be a well-formed STUN message.
            source.setIpv4((int)fold, 1 + ((int)fold & 0x7FFF));
            final int answer = responder.respond(decoder.stun(), source, out, 0);
            if (answer > 0)
            {
                assertEquals(MessageType.STUN, innerDecoder.decode(out, 0, answer));
                fold += innerDecoder.stun().messageType();
            }
        }
        return fold;
    }

    private int generate(final SplittableRandom random, final int prefix)
    {
        final int start = prefix;
        int length;
        switch (random.nextInt(10))
        {
            case 0:
                length = randomBytes(random, start);
                break;
            case 1:
            case 2:
                length = stunMessage(random, start);
                break;
            case 3:
                length = frame(random, start);
                work.putShort(start + RelayFlyweight.INNER_LENGTH_OFFSET, (short)relayInnerLength(random, length), BIG);
                work.putByte(start + FrameHeader.TYPE_OFFSET, (byte)MessageType.RELAY);
                break;
            default:
                length = frame(random, start);
                break;
        }
        final int mutations = random.nextInt(5);
        for (int i = 0; i < mutations; i++)
        {
            length = mutate(random, start, length);
        }
        return length;
    }

    private int randomBytes(final SplittableRandom random, final int start)
    {
        final int length = random.nextInt(100) == 0 ? random.nextInt(ARENA - MAX_PREFIX) : random.nextInt(600);
        for (int i = 0; i < length; i++)
        {
            arena[start + i] = (byte)random.nextInt();
        }
        if (length > 0 && random.nextBoolean())
        {
            arena[start] = (byte)(random.nextBoolean() ? FrameHeader.MAGIC_0 : random.nextInt(0x40));
        }
        return length;
    }

    private int frame(final SplittableRandom random, final int start)
    {
        final int type = TestFrames.ALL_TYPES[random.nextInt(TestFrames.ALL_TYPES.length)];
        final int maxPayload = random.nextInt(500) == 0 ? DataFlyweight.MAX_PAYLOAD_LENGTH - 8 : 300;
        return frames.encode(type, work, start, random, maxPayload);
    }

    private static int relayInnerLength(final SplittableRandom random, final int length)
    {
        final int room = length - RelayFlyweight.INNER_OFFSET;
        switch (random.nextInt(4))
        {
            case 0: return random.nextInt(8);
            case 1: return room + random.nextInt(3) - 1;
            case 2: return random.nextInt(0x10000);
            default: return Math.max(0, room - random.nextInt(8));
        }
    }

    private int stunMessage(final SplittableRandom random, final int start)
    {
        for (int i = 0; i < 12; i++)
        {
            transactionId.putByte(i, (byte)random.nextInt());
        }
        switch (random.nextInt(4))
        {
            case 0:
                return StunBindingRequestEncoder.encode(transactionId, 0, work, start);
            case 1:
                source.setIpv6(random.nextLong(), random.nextLong(), random.nextInt(65536));
                return responder.encodeSuccess(transactionId, 0, random.nextBoolean() ? source :
                    source.setIpv4(random.nextInt(), random.nextInt(65536)), work, start);
            default:
                return stunWithRandomAttributes(random, start);
        }
    }

    private int stunWithRandomAttributes(final SplittableRandom random, final int start)
    {
        final int type = random.nextInt(3) == 0 ? random.nextInt(0x4000) : 0x0001;
        work.putShort(start, (short)type, BIG);
        work.putInt(start + 4, StunMessageFlyweight.MAGIC_COOKIE, BIG);
        work.putBytes(start + 8, transactionId, 0, 12);
        int position = start + StunMessageFlyweight.HEADER_LENGTH;
        final int attributes = random.nextInt(12);
        for (int i = 0; i < attributes; i++)
        {
            final int attribute = random.nextInt(4) == 0 ? random.nextInt(0x10000) :
                STUN_TYPES[random.nextInt(STUN_TYPES.length)];
            int valueLength = random.nextInt(41);
            if (attribute == StunAttribute.XOR_MAPPED_ADDRESS && random.nextBoolean())
            {
                valueLength = random.nextBoolean() ? 8 : 20;
                work.putShort(position + 4, (short)(valueLength == 8 ? 1 : 2), BIG);
            }
            work.putShort(position, (short)attribute, BIG);
            work.putShort(position + 2, (short)valueLength, BIG);
            final int firstRandom = attribute == StunAttribute.XOR_MAPPED_ADDRESS ? 2 : 0;
            for (int j = firstRandom; j < StunAttribute.padded(valueLength); j++)
            {
                work.putByte(position + 4 + j, (byte)random.nextInt());
            }
            position += 4 + StunAttribute.padded(valueLength);
        }
        if (random.nextBoolean())
        {
            work.putShort(start + 2, (short)(position + 8 - start - 20), BIG);
            final int crc = Crc32.compute(work, start, position - start);
            work.putShort(position, (short)StunAttribute.FINGERPRINT, BIG);
            work.putShort(position + 2, (short)4, BIG);
            work.putInt(position + 4, crc ^ StunAttribute.FINGERPRINT_XOR, BIG);
            position += 8;
        }
        else
        {
            work.putShort(start + 2, (short)(position - start - 20), BIG);
        }
        return position - start;
    }

    private int mutate(final SplittableRandom random, final int start, final int length)
    {
        switch (random.nextInt(8))
        {
            case 0:
                if (length > 0)
                {
                    arena[start + random.nextInt(length)] ^= (byte)(1 << random.nextInt(8));
                }
                return length;
            case 1:
                if (length > 0)
                {
                    arena[start + random.nextInt(length)] = interestingByte(random);
                }
                return length;
            case 2:
                return length > 0 ? random.nextInt(length) : 0;
            case 3:
                return length > 0 ? length - 1 - random.nextInt(Math.min(length, 4)) : 0;
            case 4:
            {
                final int room = ARENA - MAX_PREFIX - length;
                final int extension = random.nextInt(20) == 0 ? random.nextInt(room + 1) :
                    Math.min(random.nextInt(600), room);
                for (int i = 0; i < extension; i++)
                {
                    arena[start + length + i] = (byte)random.nextInt();
                }
                return length + extension;
            }
            case 5:
                if (length >= FrameHeader.LENGTH)
                {
                    // Forge our header: any version and type over any body.
                    FrameHeader.write(work, start, random.nextInt(MessageType.MAX_TYPE + 3));
                    if (random.nextInt(4) == 0)
                    {
                        arena[start + FrameHeader.VERSION_OFFSET] = interestingByte(random);
                    }
                }
                return length;
            case 6:
                if (length >= 8)
                {
                    // Forge a STUN header over any body, with a length field that is right or nearly.
                    work.putShort(start, (short)random.nextInt(0x4000), BIG);
                    work.putShort(start + 2, (short)(length - 20 + (random.nextBoolean() ? 0 : random.nextInt(9) - 4)),
                        BIG);
                    work.putInt(start + 4, StunMessageFlyweight.MAGIC_COOKIE, BIG);
                }
                return length;
            default:
                if (length >= 2)
                {
                    final int at = random.nextInt(length - 1);
                    work.putShort(start + at, (short)(random.nextBoolean() ? random.nextInt(0x10000) :
                        length - at + random.nextInt(9) - 4), BIG);
                }
                return length;
        }
    }

    private static byte interestingByte(final SplittableRandom random)
    {
        switch (random.nextInt(6))
        {
            case 0: return 0;
            case 1: return (byte)0xFF;
            case 2: return (byte)0x80;
            case 3: return 0x7F;
            case 4: return (byte)random.nextInt(8);
            default: return (byte)random.nextInt();
        }
    }

    private void printAndCheckCoverage(final int datagrams)
    {
        final StringBuilder summary = new StringBuilder("FrameDecoderFuzzTest results:");
        for (int i = 0; i < resultCounts.length; i++)
        {
            if (resultCounts[i] > 0)
            {
                final int result = i > MessageType.STUN ? MessageType.STUN - i : i;
                summary.append(' ').append(result < 0 ? DecodeResult.name(result) : MessageType.name(result))
                    .append('=').append(resultCounts[i]);
            }
        }
        System.out.println(summary);
        if (datagrams >= DEFAULT_DATAGRAMS)
        {
            // A fuzzer that never reaches a branch proves nothing about it.
            for (final int type : TestFrames.ALL_TYPES)
            {
                assertTrue(resultCounts[type] > 0, "never accepted " + MessageType.name(type));
            }
            assertTrue(resultCounts[MessageType.STUN] > 0, "never accepted STUN");
            for (int code = 1; code <= DecodeResult.ERROR_COUNT; code++)
            {
                assertTrue(resultCounts[MessageType.STUN + code] > 0, "never saw " + DecodeResult.name(-code));
            }
        }
    }
}
