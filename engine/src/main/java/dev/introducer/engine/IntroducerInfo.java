package dev.introducer.engine;

import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * A snapshot of one configured introducer, as this engine sees it: what a tool needs to say which introducer
 * answered and what each one saw of us.
 *
 * @param address  the introducer's address, as configured.
 * @param id       its id once it answered, else null.
 * @param observed our public endpoint as it saw us in the current or last NAT discovery run, else null.
 */
public record IntroducerInfo(Endpoint address, Id32 id, Endpoint observed)
{
    /**
     * Whether it answered our NAT discovery.
     *
     * @return true when it saw us.
     */
    public boolean answered()
    {
        return null != observed;
    }
}
