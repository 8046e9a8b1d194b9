package dev.introducer.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Small helpers the relay tests share.
 */
final class RelayTestSupport
{
    private RelayTestSupport()
    {
    }

    /**
     * A UDP port on loopback that was free a moment ago: the relay's public endpoint must name its port before
     * it binds.
     *
     * @return the port.
     */
    static int freeLoopbackPort()
    {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Heap in use after asking for a few collections.
     *
     * @return bytes.
     * @throws InterruptedException if interrupted.
     */
    static long usedHeapAfterGc() throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
