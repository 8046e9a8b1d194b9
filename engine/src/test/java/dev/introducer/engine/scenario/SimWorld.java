package dev.introducer.engine.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.introducer.engine.core.EngineConfiguration;
import dev.introducer.engine.sim.SimHost;
import dev.introducer.engine.sim.SimNat;
import dev.introducer.engine.sim.SimNatType;
import dev.introducer.engine.sim.SimNetwork;
import dev.introducer.engine.sim.SimSubnet;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.Id32;

/**
 * A simulated world for engine scenarios, laid out like the seed's tests: two introducers at 1.1.1.1 and 2.2.2.2
 * (port 3456), public peers, and peers behind NATs of any type. Everything derives from one seed.
 */
public final class SimWorld
{
    /** The seed tests' swarm: {@code sha256("test swarm")}. */
    public static final Id32 SWARM = Id32.sha256("test swarm");
    /** Introducer port. */
    public static final int PORT = 3456;
    /** First introducer's address. */
    public static final int INTRODUCER_A = SimNetwork.ipv4("1.1.1.1");
    /** Second introducer's address. */
    public static final int INTRODUCER_B = SimNetwork.ipv4("2.2.2.2");

    private final SimNetwork network;
    private final List<SimEngine> introducers = new ArrayList<>();
    private final List<SimEngine> peers = new ArrayList<>();
    private Consumer<EngineConfiguration> peerSettings = (configuration) -> { };
    private Consumer<EngineConfiguration> introducerSettings = (configuration) -> { };
    private int nextPublic = SimNetwork.ipv4("3.0.0.1");
    private int nextNat = SimNetwork.ipv4("5.0.0.1");
    private int nextPrivate = SimNetwork.ipv4("10.0.0.10");

    /**
     * A world with two introducers, started at time 0.
     *
     * @param seed drives every random choice.
     */
    public SimWorld(final long seed)
    {
        this(seed, true);
    }

    /**
     * A world.
     *
     * @param seed             drives every random choice.
     * @param withIntroducers  whether to add the two introducers now.
     */
    public SimWorld(final long seed, final boolean withIntroducers)
    {
        network = new SimNetwork(seed);
        if (withIntroducers)
        {
            addIntroducer("I1", INTRODUCER_A);
            addIntroducer("I2", INTRODUCER_B);
        }
    }

    /**
     * Adds the two standard introducers (for a world made without them, after its settings).
     *
     * @return this.
     */
    public SimWorld addIntroducers()
    {
        addIntroducer("I1", INTRODUCER_A);
        addIntroducer("I2", INTRODUCER_B);
        return this;
    }

    /**
     * Settings applied to every peer added later.
     *
     * @param settings a customiser.
     * @return this.
     */
    public SimWorld peerSettings(final Consumer<EngineConfiguration> settings)
    {
        this.peerSettings = settings;
        return this;
    }

    /**
     * Settings applied to every introducer added later.
     *
     * @param settings a customiser.
     * @return this.
     */
    public SimWorld introducerSettings(final Consumer<EngineConfiguration> settings)
    {
        this.introducerSettings = settings;
        return this;
    }

    /**
     * Packet loss on every hop.
     *
     * @param probability 0..1.
     * @return this.
     */
    public SimWorld lossRate(final double probability)
    {
        network.lossRate(probability);
        return this;
    }

    /**
     * The network.
     *
     * @return the simulator.
     */
    public SimNetwork network()
    {
        return network;
    }

    /**
     * The introducers, in order.
     *
     * @return the engines.
     */
    public List<SimEngine> introducers()
    {
        return introducers;
    }

    /**
     * The peers added so far.
     *
     * @return the engines.
     */
    public List<SimEngine> peers()
    {
        return peers;
    }

    /**
     * Adds an introducer at a public address.
     *
     * @param name its name (its id is the SHA-256 of it).
     * @param ipv4 its address.
     * @return the engine.
     */
    public SimEngine addIntroducer(final String name, final int ipv4)
    {
        final EngineConfiguration configuration = new EngineConfiguration()
            .localId(Id32.sha256(name))
            .restartEpoch(network.now() + 1)
            .introducer(true);
        introducerSettings.accept(configuration);
        final SimEngine engine = new SimEngine(name, configuration);
        start(network, ipv4, engine);
        introducers.add(engine);
        return engine;
    }

    /**
     * Replaces an introducer with a new instance with the same id (a restart).
     *
     * @param index which introducer.
     * @return the new engine.
     */
    public SimEngine restartIntroducer(final int index)
    {
        final SimEngine old = introducers.get(index);
        final SimHost host = old.host();
        final int ipv4 = host.ipv4();
        host.sleep(true);
        host.moveTo(network, SimNetwork.ipv4("9.9.9.9") + index);
        final EngineConfiguration configuration = new EngineConfiguration()
            .localId(old.id())
            .restartEpoch(network.now() + 1)
            .introducer(true);
        introducerSettings.accept(configuration);
        final SimEngine engine = new SimEngine(old.toString(), configuration);
        start(network, ipv4, engine);
        introducers.set(index, engine);
        return engine;
    }

    /**
     * Adds a peer attached to the internet (no NAT).
     *
     * @param name its name.
     * @return the engine.
     */
    public SimEngine addPublicPeer(final String name)
    {
        final int ipv4 = nextPublic++;
        return addPeer(name, network, ipv4);
    }

    /**
     * Adds a NAT of a type at a fresh public address.
     *
     * @param type its behaviour.
     * @return the NAT.
     */
    public SimNat addNat(final SimNatType type)
    {
        return network.addNat(nextNat++, type);
    }

    /**
     * Adds a peer behind a new NAT of its own.
     *
     * @param name its name.
     * @param type the NAT's behaviour.
     * @return the engine.
     */
    public SimEngine addPeerBehind(final String name, final SimNatType type)
    {
        return addPeerIn(name, addNat(type));
    }

    /**
     * Adds a peer inside an existing NAT (several peers may share one).
     *
     * @param name its name.
     * @param nat  the NAT.
     * @return the engine.
     */
    public SimEngine addPeerIn(final String name, final SimNat nat)
    {
        return addPeer(name, nat, nextPrivate++);
    }

    private SimEngine addPeer(final String name, final SimSubnet subnet, final int ipv4)
    {
        final EngineConfiguration configuration = new EngineConfiguration()
            .localId(Id32.sha256("peer " + name))
            .restartEpoch(network.now() + 1)
            .addIntroducer(Endpoint.ipv4(INTRODUCER_A, PORT))
            .addIntroducer(Endpoint.ipv4(INTRODUCER_B, PORT));
        peerSettings.accept(configuration);
        final SimEngine engine = new SimEngine(name, configuration);
        start(subnet, ipv4, engine);
        peers.add(engine);
        return engine;
    }

    private static void start(final SimSubnet subnet, final int ipv4, final SimEngine engine)
    {
        final SimHost host = subnet.addHost(ipv4);
        host.mainPort(PORT);
        engine.host(host);
        host.start(engine);
    }

    /**
     * Runs until a condition holds or a simulated time limit passes.
     *
     * @param condition to wait for.
     * @param limitNs   absolute simulated time limit.
     * @return whether the condition became true.
     */
    public boolean runUntil(final BooleanSupplier condition, final long limitNs)
    {
        return network.runUntil(condition, limitNs);
    }

    /**
     * Runs for a simulated duration.
     *
     * @param durationNs how long.
     */
    public void runFor(final long durationNs)
    {
        network.runFor(durationNs);
    }

    /**
     * Simulated now.
     *
     * @return nanoseconds.
     */
    public long now()
    {
        return network.now();
    }

    /**
     * Seconds to nanoseconds.
     *
     * @param seconds a duration.
     * @return nanoseconds.
     */
    public static long seconds(final double seconds)
    {
        return (long)(seconds * 1e9);
    }
}
