package dev.introducer.engine.sim;

import org.agrona.DirectBuffer;

import dev.introducer.protocol.Endpoint;

/**
 * Watches datagrams as they cross the internet (the top-level network), for assertions in tests.
 */
@FunctionalInterface
public interface SimSendListener
{
    /**
     * Called for every datagram that enters the internet and survives the loss draw, as netsim's
     * {@code on_send} is, before it is routed (so datagrams to unknown addresses are seen too).
     *
     * @param nowNs       the send time.
     * @param source      as seen on the internet: a NAT's public address and mapped port for a host behind one.
     *                    Valid only during the call.
     * @param destination as addressed by the sender. Valid only during the call.
     * @param buffer      holding the datagram; read only, valid only during the call.
     * @param offset      of the datagram.
     * @param length      of the datagram.
     */
    void onSend(long nowNs, Endpoint source, Endpoint destination, DirectBuffer buffer, int offset, int length);
}
