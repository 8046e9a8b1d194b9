/**
 * STUN (RFC 8489) Binding: recognise and parse messages ({@link dev.introducer.protocol.stun.StunMessageFlyweight}),
 * and encode success and 420 responses ({@link dev.introducer.protocol.stun.StunBindingResponder}) and plain
 * Binding requests ({@link dev.introducer.protocol.stun.StunBindingRequestEncoder}), allocation-free over Agrona
 * buffers. FINGERPRINT uses a table-driven CRC-32 ({@link dev.introducer.protocol.stun.Crc32}).
 */
package dev.introducer.protocol.stun;
