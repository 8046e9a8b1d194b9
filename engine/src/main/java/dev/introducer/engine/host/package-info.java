/**
 * What a host gives the sans-IO parts of the engine: a {@link dev.introducer.engine.host.Transport} to send and open
 * sockets, a {@link dev.introducer.engine.host.Scheduler} to be woken, the
 * {@link dev.introducer.engine.host.TransportHandler} it drives, and {@link dev.introducer.engine.host.EnumCounters};
 * and {@link dev.introducer.engine.host.DiscardingHost}, the host that sends nowhere, for measurements.
 * The lowest package of the engine: it imports nothing from the others, so the core, the relay, the netty transport
 * and the simulator all build on it without depending on each other.
 */
package dev.introducer.engine.host;
