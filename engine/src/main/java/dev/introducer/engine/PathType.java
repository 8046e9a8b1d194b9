package dev.introducer.engine;

/**
 * How data reaches a connected peer.
 */
public enum PathType
{
    /** Straight to the peer's public endpoint (punched or static). */
    DIRECT,
    /** Over the LAN, to the peer's private endpoint: both are behind the same NAT. */
    LOCAL,
    /** Through a relay. */
    RELAY;

    /**
     * The lower-case name used in JSON output.
     *
     * @return "direct", "local" or "relay".
     */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
