package dev.introducer.engine.example;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineHandler;
import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.Id32;

/**
 * The usage example of {@code engine/README.md}, kept compiling (and run by {@code UsageExampleTest}).
 */
public final class UsageExample
{
    private UsageExample()
    {
    }

    // README example: begin
    static Engine startPeer(final String introducer1, final String introducer2, final String swarmName)
    {
        final UnsafeBuffer hello = new UnsafeBuffer("hello".getBytes());
        final Engine[] self = new Engine[1];
        self[0] = Engine.builder()
            .introducer(introducer1)
            .introducer(introducer2)
            .bind("0.0.0.0", 0)
            .handler(new EngineHandler()
            {
                public void onPeerConnected(final Id32 peer, final PathType path, final Strategy strategy,
                    final long timeToConnectNs, final int probes)
                {
                    self[0].send(peer, hello, 0, hello.capacity()); // on the engine thread: no allocation
                }

                public void onMessage(final Id32 peer, final DirectBuffer buffer, final int offset, final int length)
                {
                    System.out.println(peer.shortHex() + " says " + buffer.getStringWithoutLengthAscii(offset, length));
                }
            })
            .build();
        self[0].join(Id32.sha256(swarmName));
        return self[0];
    }
    // README example: end
}
