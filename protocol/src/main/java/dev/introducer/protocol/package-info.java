/**
 * The wire format: frame layouts, flyweights over Agrona buffers, the frame dispatcher and STUN Binding.
 * Bytes only: no I/O, no threads, no allocation per message. See {@code protocol/README.md} for the specification.
 */
package dev.introducer.protocol;
