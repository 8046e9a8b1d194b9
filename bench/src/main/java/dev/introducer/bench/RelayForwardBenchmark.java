package dev.introducer.bench;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.introducer.engine.host.DiscardingHost;
import dev.introducer.engine.host.Transport;
import dev.introducer.engine.relay.RelayConfiguration;
import dev.introducer.engine.relay.RelayCore;
import dev.introducer.engine.relay.RelayCounters;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameHeader;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.MessageType;
import dev.introducer.protocol.RelayBindAckFlyweight;
import dev.introducer.protocol.RelayBindFlyweight;
import dev.introducer.protocol.RelayDataFlyweight;
import dev.introducer.protocol.RelayToken;

/**
 * The relay's own work per forwarded datagram, without the syscalls: {@link RelayCore#onDatagram} on one
 * {@code RELAY_DATA} datagram between two bound legs (decode and validate the frame, find the session by channel
 * id, check the source against the legs, the session's quota window, the send call, the counters), with a
 * {@link Transport} that discards what it is given. What a real send costs on top is the kernel's: see
 * {@code relay/README.md}, where the same path is measured on loopback sockets.
 * <ul>
 *     <li>{@code forward}: A to B and B to A alternately, as a relayed conversation is.</li>
 *     <li>{@code dropUnknownChannel}: the cost of refusing a datagram for a channel that does not exist (the
 *     relay's floor under a flood of garbage).</li>
 *     <li>{@code allocatingBaseline}: negative control, {@code new byte[16]}: must show 32 B/op, or the GC
 *     profiler's 0 for the others would prove nothing.</li>
 * </ul>
 * The {@code @Fork} flags must equal {@code jvm.runtime.flags} of the root pom; {@code BenchForkFlagsTest} checks it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true"})
public class RelayForwardBenchmark
{
    private static final byte[] SECRET = "relay-forward-benchmark-secret!!".getBytes(StandardCharsets.US_ASCII);
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final long STEP_NS = 30_000;

    /** The UDP payload of the forwarded datagram, header included. */
    @Param({"64", "1200"})
    public int size;

    private final DiscardingHost host = new DiscardingHost();
    private final Endpoint legA = Endpoint.ipv4(0xC633_6401, 40_001);
    private final Endpoint legB = Endpoint.ipv4(0xCB00_7102, 50_002);
    private final Endpoint stranger = Endpoint.ipv4(0xC000_0203, 60_003);
    private RelayCore core;
    private int channelId;
    private UnsafeBuffer datagram;
    private UnsafeBuffer unknownChannel;
    private long nowNs;
    private boolean fromB;

    /**
     * A relay core with one session whose two legs are bound, and the data datagram to forward.
     */
    @Setup
    public void setUp()
    {
        final Endpoint relayEndpoint = Endpoint.ipv4(0xC612_000A, 3478);
        core = new RelayCore(new RelayConfiguration().publicEndpoint(relayEndpoint).secret(SECRET),
            host, host, () -> NOW_MS, new SplittableRandom(7));
        nowNs = 1_000_000_000L;
        core.start(nowNs);
        final Id32 a = Id32.sha256("a");
        final Id32 b = Id32.sha256("b");
        bind(relayEndpoint, a, b, legA);
        bind(relayEndpoint, b, a, legB);
        channelId = lastBindAckChannelId();
        if (core.counters().get(RelayCounters.Type.BINDS) != 2 || channelId == 0)
        {
            throw new IllegalStateException("legs not bound: " + core.counters().get(RelayCounters.Type.BINDS));
        }
        datagram = new UnsafeBuffer(new byte[size]);
        new RelayDataFlyweight().wrapForRelayData(datagram, 0, size - RelayDataFlyweight.PAYLOAD_OFFSET)
            .channelId(channelId);
        unknownChannel = new UnsafeBuffer(new byte[size]);
        new RelayDataFlyweight().wrapForRelayData(unknownChannel, 0, size - RelayDataFlyweight.PAYLOAD_OFFSET)
            .channelId(channelId ^ 0x5A5A_5A5A);
    }

    /**
     * Fails the trial if the quota refused anything: then {@link #forward()} would not have measured forwarding.
     */
    @TearDown
    public void checkNothingWasRefused()
    {
        final long refused = core.counters().get(RelayCounters.Type.QUOTA_SESSION);
        if (refused != 0)
        {
            throw new IllegalStateException("the session quota refused " + refused + " datagrams");
        }
    }

    /** The channel id of the relay's last answer, if that was a bind acknowledgement; else 0. */
    private int lastBindAckChannelId()
    {
        final DirectBuffer ack = host.lastBuffer();
        final int offset = host.lastOffset();
        return host.lastLength() == RelayBindAckFlyweight.LENGTH &&
            FrameHeader.type(ack, offset) == MessageType.RELAY_BIND_ACK ?
            ack.getInt(offset + RelayBindAckFlyweight.CHANNEL_ID_OFFSET, ByteOrder.BIG_ENDIAN) : 0;
    }

    private void bind(final Endpoint relayEndpoint, final Id32 self, final Id32 other, final Endpoint source)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[RelayBindFlyweight.LENGTH]);
        final RelayBindFlyweight bind = new RelayBindFlyweight();
        bind.wrapForBind(frame, 0).sessionId(42).expiry(NOW_MS + 60_000).senderId(self).otherPeerId(other)
            .relayEndpoint(relayEndpoint);
        new RelayToken(SECRET).sign(bind);
        core.onDatagram(nowNs, 0, source, frame, 0, RelayBindFlyweight.LENGTH);
    }

    /**
     * One datagram forwarded, alternately A to B and B to A. The clock moves {@value #STEP_NS} ns per datagram, so
     * the session carries about 33,000 datagrams per second of its clock: under the default quota (50,000
     * datagrams/s, 50 MiB/s also at 1200 B), and the one-second quota window rolls over as it does in service.
     * {@link #checkNothingWasRefused()} fails the run if any datagram was refused.
     *
     * @return the sends seen, so that nothing is dead code.
     */
    @Benchmark
    public long forward()
    {
        nowNs += STEP_NS;
        fromB = !fromB;
        core.onDatagram(nowNs, 0, fromB ? legB : legA, datagram, 0, size);
        return host.sends();
    }

    /**
     * A datagram for a channel nobody has: decoded, looked up, dropped.
     *
     * @return the sends seen (unchanged).
     */
    @Benchmark
    public long dropUnknownChannel()
    {
        nowNs += STEP_NS;
        core.onDatagram(nowNs, 0, stranger, unknownChannel, 0, size);
        return host.sends();
    }

    /**
     * The control: allocates a 16-byte array per operation, so the GC profiler must report about 32 B/op.
     *
     * @return the array, so that it escapes.
     */
    @Benchmark
    public byte[] allocatingBaseline()
    {
        return new byte[16];
    }
}
