package dev.introducer.engine.scenario;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.introducer.engine.core.EngineCore;
import dev.introducer.engine.sim.SimNatType;

import static dev.introducer.engine.scenario.SimWorld.SWARM;
import static dev.introducer.engine.scenario.SimWorld.seconds;
import static dev.introducer.engine.scenario.SwarmScenarioTest.connected;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SprayCrossingScenarioTest
{
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[]{ 1, 2, 3 });

    @Test
    @DisplayName("explore")
    void explore()
    {
        final List<String> broken = new ArrayList<>();
        for (long seed = 0; seed < 400; seed++)
        {
            final SimWorld world = new SimWorld(seed);
            world.network().latency(0, 150_000_000L);
            final SimEngine easy = world.addPeerBehind("easy", SimNatType.PORT_RESTRICTED);
            final SimEngine hard = world.addPeerBehind("hard", SimNatType.SYMMETRIC);
            easy.join(SWARM);
            hard.join(SWARM);
            if (!world.runUntil(() -> connected(easy, hard), seconds(20)))
            {
                broken.add(seed + ": not connected");
                continue;
            }
            world.runFor(seconds(2));
            easy.send(hard, PAYLOAD);
            hard.send(easy, PAYLOAD);
            world.runFor(seconds(1));
            if (easy.messagesFrom(hard) != 1 || hard.messagesFrom(easy) != 1)
            {
                broken.add(seed + ": easy got " + easy.messagesFrom(hard) + " hard got " + hard.messagesFrom(easy)
                    + " easy " + easy.core().counters());
            }
        }
        assertTrue(broken.isEmpty(), broken.size() + " " + broken);
    }
}
