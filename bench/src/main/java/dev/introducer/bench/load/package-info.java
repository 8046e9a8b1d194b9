/**
 * Loopback load generation for relays: {@link dev.introducer.bench.load.RelayLoad} drives our relay or the
 * reference C forwarder ({@code relayfwd}) with the same Java code and reports forwarded datagrams/s, loss and
 * one-way / round-trip latency; {@link dev.introducer.bench.load.RelayNode} runs our relay alone for it.
 * {@code bench/relay-bench.sh} runs both side by side.
 */
package dev.introducer.bench.load;
