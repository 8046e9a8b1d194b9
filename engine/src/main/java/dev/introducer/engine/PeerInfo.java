package dev.introducer.engine;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;

/**
 * A snapshot of one peer, for introspection.
 *
 * @param id        the peer's id.
 * @param connected whether a path is up.
 * @param path      direct, local or relay; null when not connected.
 * @param strategy  how it was connected; null when not connected.
 * @param nat       its NAT type as it reported it.
 * @param endpoint  where we send to it.
 * @param rttNs     smoothed round-trip time, -1 if not measured.
 */
public record PeerInfo(
    Id32 id, boolean connected, PathType path, Strategy strategy, NatType nat, Endpoint endpoint, long rttNs)
{
}
