package dev.introducer.protocol;

import java.util.stream.Stream;

/**
 * Field values at the edges of their ranges, for the round-trip tests: every u64 field gets {@code u64}, every
 * u32 {@code u32}, every u16 {@code u16}, every u8 {@code u8}; required endpoints get {@code endpoint}, optional
 * ones {@code optionalEndpoint} (none in some sets).
 *
 * @param name             for the test's display name.
 * @param u64              value for u64 fields.
 * @param u32              value for u32 fields.
 * @param u16              value for u16 fields.
 * @param u8               value for u8 fields.
 * @param nat              value for NAT fields.
 * @param endpoint         value for required endpoints.
 * @param optionalEndpoint value for optional endpoints.
 * @param id               value for ids.
 */
record RoundTripValues(
    String name,
    long u64,
    long u32,
    int u16,
    int u8,
    NatType nat,
    Endpoint endpoint,
    Endpoint optionalEndpoint,
    Id32 id)
{
    static Stream<RoundTripValues> all()
    {
        return Stream.of(
            new RoundTripValues("zeros and an IPv4 endpoint with no optional one", 0, 0, 0, 0, NatType.UNKNOWN,
                Endpoint.ipv4(0x0A00_0001, 1), new Endpoint(), Id32.ZERO),
            new RoundTripValues("all bits set and IPv6 endpoints", -1L, 0xFFFF_FFFFL, 0xFFFF, 0xFF, NatType.HARD,
                new Endpoint().setIpv6(-1L, -1L, 65535), new Endpoint().setIpv6(-1L, -1L, 65535),
                new Id32(-1L, -1L, -1L, -1L)),
            new RoundTripValues("sign bits only", Long.MIN_VALUE, 0x8000_0000L, 0x8000, 0x80, NatType.STATIC,
                Endpoint.ipv4(0xFFFF_FFFF, 65535), Endpoint.ipv4(0x8000_0000, 0x8000),
                new Id32(Long.MIN_VALUE, 0, Long.MIN_VALUE, 0)),
            new RoundTripValues("largest positive values and a documentation IPv6", Long.MAX_VALUE, 0x7FFF_FFFFL,
                0x7FFF, 0x7F, NatType.EASY, new Endpoint().setIpv6(0x2001_0DB8_0000_0000L, 1L, 1),
                new Endpoint().setIpv6(0xFE80_0000_0000_0000L, 0x0211_22FF_FE33_4455L, 4242),
                new Id32(1L, 2L, 3L, 4L)));
    }

    /**
     * A second id distinct from {@link #id()}, for frames with two or three ids.
     *
     * @return the id.
     */
    Id32 otherId()
    {
        return new Id32(~id.word(0), id.word(1) + 1, ~id.word(2), id.word(3) ^ 0x5A5A);
    }

    /**
     * A third id.
     *
     * @return the id.
     */
    Id32 thirdId()
    {
        return new Id32(id.word(3), id.word(2), id.word(1) + 7, id.word(0));
    }

    public String toString()
    {
        return name;
    }
}
