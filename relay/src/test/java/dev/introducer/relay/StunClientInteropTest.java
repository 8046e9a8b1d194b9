package dev.introducer.relay;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.introducer.engine.Engine;
import dev.introducer.engine.EngineCounters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standard STUN client (coturn's {@code turnutils_stunclient}, from Debian's {@code coturn} package, which
 * {@code .ci/run} installs) asks a node's introducer port "what is my address" and gets the right answer.
 */
class StunClientInteropTest
{
    private static final String CLIENT = "/usr/bin/turnutils_stunclient";

    @Test
    @Timeout(30)
    @DisplayName("turnutils_stunclient gets its reflexive address from the node's introducer port")
    void standardStunClientGetsItsAddress() throws Exception
    {
        if (!new File(CLIENT).canExecute())
        {
            final String reason = CLIENT + " is missing (Debian package coturn): STUN interoperability not tested";
            System.err.println("*** SKIPPED: " + reason + " ***");
            Assumptions.abort(reason);
        }
        try (Engine node = Engine.builder().introducerRole(true).bind("127.0.0.1", 0).build())
        {
            final int port = node.localAddress().getPort();
            final Process client = new ProcessBuilder(CLIENT, "-p", Integer.toString(port), "127.0.0.1")
                .redirectErrorStream(true).start();
            assertTrue(client.waitFor(10, TimeUnit.SECONDS), "the client finished");
            final String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, client.exitValue(), output);
            assertTrue(output.contains("UDP reflexive addr: 127.0.0.1:"), output);
            assertTrue(node.counter(EngineCounters.Type.STUN_ANSWERED) >= 1);
        }
    }
}
