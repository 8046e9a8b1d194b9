/**
 * The relay node's data plane: sessions of two token-bound legs, forwarding without allocation, quotas and
 * expiry ({@link dev.introducer.engine.relay.RelayCore}, sans-IO), and its Netty deployment
 * ({@link dev.introducer.relay.RelayServer}).
 */
package dev.introducer.relay;
