/**
 * A deterministic, seeded network simulator with NATs, for testing the engine core without sockets: a Java
 * port of the semantics of socketsupply's netsim (see the reference, section 7).
 * <p>
 * A {@link dev.introducer.engine.sim.SimNetwork} is the internet: public
 * {@link dev.introducer.engine.sim.SimHost}s and {@link dev.introducer.engine.sim.SimNat}s live at its
 * addresses, hosts behind a NAT at private ones. Each host runs one
 * {@link dev.introducer.engine.sim.SimApplication}, which gets the host as its
 * {@link dev.introducer.engine.sim.SimSocketContext}: the core's {@code Transport} and {@code Scheduler}, the
 * simulated clock and a seeded generator.
 * <pre>{@code
 * SimNetwork network = new SimNetwork(seed);
 * network.addHost(SimNetwork.ipv4("198.18.0.1"), introducerApplication);
 * SimNat easy = network.addNat(SimNetwork.ipv4("198.18.1.1"), SimNatType.PORT_RESTRICTED);
 * SimNat hard = network.addNat(SimNetwork.ipv4("198.18.2.1"), SimNatType.SYMMETRIC);
 * SimHost alice = easy.addHost(SimNetwork.ipv4("10.0.0.2"), aliceApplication);
 * SimHost bob = hard.addHost(SimNetwork.ipv4("10.0.0.3"), bobApplication);
 * network.onSend((now, source, destination, buffer, offset, length) -> trace(source, destination));
 * boolean connected = network.runUntil(() -> aliceApplication.knows(bob), 30_000_000_000L);
 * assertTrue(connected, "seed " + network.seed() + ": " + network.counters());
 * }</pre>
 */
package dev.introducer.engine.sim;
