package dev.introducer.tools.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keep-alives hold a punched path open through NATs that forget idle flows fast: with the routers' conntrack UDP
 * timeouts at 5 s (unreplied) and 10 s (replied), an easy-NAT and a hard-NAT peer stay connected through 30 s of
 * application silence and exchange a second round of messages, no peer lost.
 */
@DisplayName("keep-alives hold a direct path open through NATs with short UDP timeouts")
class LabKeepaliveTest
{
    private static final int UDP_TIMEOUT_S = 5;
    private static final int UDP_STREAM_TIMEOUT_S = 10;
    private static final int KEEPALIVE_S = 2;
    /** Three times the NAT's stream timeout: without keep-alives both mappings would be gone. */
    private static final int IDLE_S = 30;
    private static final int MESSAGES = 10;
    private static final int PEER_TIMEOUT_S = 60;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(PEER_TIMEOUT_S + 30);

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @DisplayName("easy and hard NAT peers stay connected through 30 s idle and exchange a second round")
    void easyAndHardNatPeersStayConnectedThroughIdleTime() throws IOException
    {
        LabSupport.assumeLab();
        try (NetLab lab = NetLab.start("keep", NatMode.EASY, NatMode.HARD, null, UDP_TIMEOUT_S, UDP_STREAM_TIMEOUT_S))
        {
            final Path logs = Files.createDirectories(
                NetLab.targetDirectory().resolve("lab-logs").resolve(lab.prefix()));
            final NetLab.Background node =
                IntroducerCli.startNode(lab, logs.resolve("node.log"), Duration.ofSeconds(30));

            final byte[] nonce = new byte[6];
            new SecureRandom().nextBytes(nonce);
            final String swarm = "keepalive-" + HexFormat.of().formatHex(nonce);
            final List<String> args = IntroducerCli.peerArgs(swarm,
                "--bind", "0.0.0.0:" + IntroducerCli.PORT,
                "--keepalive", Integer.toString(KEEPALIVE_S),
                "--idle", Integer.toString(IDLE_S),
                "--messages", Integer.toString(MESSAGES),
                "--timeout", Integer.toString(PEER_TIMEOUT_S));
            final long startNanos = System.nanoTime();
            final List<CliRun> runs = IntroducerCli.runTogether(lab, RUN_LIMIT, List.of(
                new IntroducerCli.Invocation("a", args),
                new IntroducerCli.Invocation("b", args)));
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            System.out.println("keepalive trial took " + elapsedMillis + " ms: " + runs);

            // exit 0 with --idle means: round 1, the idle time, then round 2 complete, no peer lost; the summary's
            // 'received' counts the messages of the final round
            LabPeer.assertBothConnected(List.of(LabPeer.a("easy"), LabPeer.b("hard")), runs, "direct", MESSAGES);
            assertTrue(elapsedMillis >= TimeUnit.SECONDS.toMillis(IDLE_S),
                "the peers stayed idle " + IDLE_S + " s before their second round, yet finished after "
                    + elapsedMillis + " ms: " + runs);
            assertTrue(node.isAlive(), "the introducer node is still up: " + node.log());
        }
    }
}
