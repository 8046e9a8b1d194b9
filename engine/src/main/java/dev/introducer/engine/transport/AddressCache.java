package dev.introducer.engine.transport;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import dev.introducer.protocol.Endpoint;

/**
 * The {@link InetSocketAddress} of each endpoint the core sends to, made once: Netty's unconnected send and the
 * connect of a per-peer socket need one, and making it allocates. Bounded: when full it starts again empty.
 */
final class AddressCache
{
    private static final int LIMIT = 4_096;

    private final Map<Endpoint, InetSocketAddress> addresses = new HashMap<>();

    /**
     * The address of an endpoint.
     *
     * @param endpoint where to.
     * @return its address, or null for an endpoint without one (family none).
     */
    InetSocketAddress of(final Endpoint endpoint)
    {
        InetSocketAddress address = addresses.get(endpoint);
        if (null == address)
        {
            if (addresses.size() >= LIMIT)
            {
                addresses.clear();
            }
            address = endpoint.toInetSocketAddress();
            if (null != address)
            {
                addresses.put(endpoint.copy(), address);
            }
        }
        return address;
    }
}
