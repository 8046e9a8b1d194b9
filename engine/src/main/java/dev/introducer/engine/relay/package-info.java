/**
 * The relay's sans-IO forwarding core, shared by the relay node ({@code dev.introducer.relay.RelayServer}) and by
 * an engine that relays for its swarms (peer relay): token-bound sessions of two legs, forwarding without
 * allocation, quotas and expiry ({@link dev.introducer.engine.relay.RelayCore}).
 */
package dev.introducer.engine.relay;
