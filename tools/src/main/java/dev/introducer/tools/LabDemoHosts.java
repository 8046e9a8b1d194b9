package dev.introducer.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.introducer.tools.lab.ExecResult;
import dev.introducer.tools.lab.IntroducerCli;
import dev.introducer.tools.lab.NatMode;
import dev.introducer.tools.lab.NetLab;

/**
 * The demo in the NAT lab: two introducer/relay nodes on srv, one per address (198.18.0.10 and 198.18.0.11, each
 * with its relay on port 3478 and one shared secret), peers in the hosts behind routers A and B and on pub.
 * {@link #close()} takes the lab down; so does NetLab's shutdown hook if the JVM ends first (Ctrl-C).
 */
final class LabDemoHosts extends DemoHosts
{
    /** The relay's UDP port on each of srv's addresses. */
    static final int RELAY_PORT = 3478;

    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SRV_ADDRESSES = List.of(
        IntroducerCli.INTRODUCER_1.substring(0, IntroducerCli.INTRODUCER_1.indexOf(':')),
        IntroducerCli.INTRODUCER_2.substring(0, IntroducerCli.INTRODUCER_2.indexOf(':')));

    private final NetLab lab;

    /**
     * @param lab the lab, up; closed with this.
     */
    LabDemoHosts(final NetLab lab)
    {
        this.lab = lab;
    }

    List<String> startIntroducers(final Path logs)
    {
        final Path secret = logs.resolve("relay.secret");
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try
        {
            Files.writeString(secret, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<String> introducers = new ArrayList<>();
        for (int i = 0; i < SRV_ADDRESSES.size(); i++)
        {
            final String address = SRV_ADDRESSES.get(i);
            final String listen = address + ":" + IntroducerCli.PORT;
            final NetLab.Background node = lab.startBackground("srv", logs.resolve("node" + (i + 1) + ".log"),
                IntroducerCli.command("node", "--listen", listen, "--json",
                    "--relay", address + ":" + RELAY_PORT, "--relay-secret-file", secret.toString(),
                    "--counters-file", logs.resolve("node" + (i + 1) + ".counters.dat").toString()));
            IntroducerCli.awaitListening(node, Set.of(listen), NODE_START_TIMEOUT);
            introducers.add("--introducer");
            introducers.add(listen);
        }
        return introducers;
    }

    void prepare(final DemoCase demoCase)
    {
        setNat("a", demoCase.natA());
        setNat("b", demoCase.natB());
    }

    private void setNat(final String side, final NatMode mode)
    {
        // re-applying a mode flushes the router's conntrack: every pair is a first contact
        lab.setNat(side, mode);
    }

    String peerBind()
    {
        return "0.0.0.0:" + IntroducerCli.PORT;
    }

    Running start(final String host, final Path log, final List<String> args)
    {
        final NetLab.Background background = lab.startBackground(host, log, IntroducerCli.command(args));
        return new Running()
        {
            public String log()
            {
                return background.log();
            }

            public void stop()
            {
                background.stop();
            }
        };
    }

    ExecResult run(final String host, final Duration limit, final List<String> args)
    {
        return lab.exec(host, limit, IntroducerCli.command(args));
    }

    public void close()
    {
        lab.close();
    }
}
