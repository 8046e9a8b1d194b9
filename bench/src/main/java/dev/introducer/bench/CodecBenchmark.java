package dev.introducer.bench;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.introducer.protocol.ConnectFlyweight;
import dev.introducer.protocol.Endpoint;
import dev.introducer.protocol.FrameDecoder;
import dev.introducer.protocol.Id32;
import dev.introducer.protocol.NatType;
import dev.introducer.protocol.PingFlyweight;
import dev.introducer.protocol.stun.StunBindingRequestEncoder;
import dev.introducer.protocol.stun.StunBindingResponder;

/**
 * The wire codec's cost per message: encode a frame, decode it through {@link FrameDecoder} (the validating
 * dispatcher every datagram goes through) and read its fields; and answer a STUN Binding request. The target
 * (issue "Foundation") is at most 20 ns for encode + decode of a typical message and less than 1 B/op allocated;
 * {@link #allocatingBaseline()} is a control that must show about 16 B/op, so that a 0 from the GC profiler means
 * something.
 * <p>
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
public class CodecBenchmark
{
    private final UnsafeBuffer pingBuffer = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer connectBuffer = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer stunRequest = new UnsafeBuffer(new byte[StunBindingRequestEncoder.LENGTH]);
    private final UnsafeBuffer stunAnswer = new UnsafeBuffer(new byte[StunBindingResponder.MAX_RESPONSE_LENGTH]);
    private final PingFlyweight ping = new PingFlyweight();
    private final ConnectFlyweight connect = new ConnectFlyweight();
    private final FrameDecoder decoder = new FrameDecoder();
    private final StunBindingResponder responder = new StunBindingResponder();
    private final Endpoint endpoint = new Endpoint();
    private final Endpoint lan = new Endpoint();
    private final Endpoint stunSource = Endpoint.ipv4(0xC000_0201, 32853);
    private final Endpoint targetPublic = Endpoint.ipv4(0xCB00_7107, 40_001);
    private final Endpoint targetLan = Endpoint.ipv4(0xC0A8_0117, 5000);
    private final Id32 localId = new Id32(0x0123_4567_89AB_CDEFL, 1L, 2L, 3L);
    private final Id32 targetId = new Id32(4L, 5L, 6L, 7L);
    private final Id32 swarmId = new Id32(8L, 9L, 10L, 11L);
    private long sequence;

    /**
     * Encodes the STUN request that {@link #decodeStunBindingAndRespond()} answers.
     */
    @Setup
    public void setUp()
    {
        final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[12]);
        transactionId.putLong(0, 0x0102_0304_0506_0708L);
        transactionId.putInt(8, 0x090A_0B0C);
        StunBindingRequestEncoder.encode(transactionId, 0, stunRequest, 0);
    }

    /**
     * A typical message: encode a PING, decode it through the dispatcher, read its fields.
     *
     * @return a fold of the fields read.
     */
    @Benchmark
    public long encodeDecodePing()
    {
        final long echo = ++sequence;
        final int length = ping.wrapForPing(pingBuffer, 0).nat(NatType.EASY).restartEpoch(1_700_000_000_000L)
            .token(0).echo(echo).senderId(localId).frameLength();
        final int type = decoder.decode(pingBuffer, 0, length);
        final PingFlyweight view = decoder.ping();
        return type + view.nat() + view.restartEpoch() + view.token() + view.echo() + view.senderIdOffset();
    }

    /**
     * The largest control message in use: encode a CONNECT with two endpoints, decode it, read every field.
     *
     * @return a fold of the fields read.
     */
    @Benchmark
    public long encodeDecodeConnect()
    {
        final long token = ++sequence;
        final int length = connect.wrapForConnect(connectBuffer, 0).targetNat(NatType.HARD)
            .flags(ConnectFlyweight.SAME_NAT).swarmPeers(12).token(token).targetRestartEpoch(1_700_000_000_000L)
            .introducerId(localId).targetId(targetId).swarmId(swarmId).targetPublic(targetPublic)
            .targetLan(targetLan).frameLength();
        final int type = decoder.decode(connectBuffer, 0, length);
        final ConnectFlyweight view = decoder.connect();
        return type + view.targetNat() + view.flags() + view.swarmPeers() + view.token() +
            view.targetRestartEpoch() + view.introducerIdOffset() + view.targetIdOffset() + view.swarmIdOffset() +
            view.readTargetPublic(endpoint).port() + view.readTargetLan(lan).ipv4();
    }

    /**
     * A STUN Binding server's work per request: classify and parse the request (CRC-32 FINGERPRINT included)
     * and encode the success response (XOR-MAPPED-ADDRESS, FINGERPRINT).
     *
     * @return the answer's length plus the request's type.
     */
    @Benchmark
    public int decodeStunBindingAndRespond()
    {
        final int type = decoder.decode(stunRequest, 0, StunBindingRequestEncoder.LENGTH);
        return type + responder.respond(decoder.stun(), stunSource, stunAnswer, 0);
    }

    /**
     * The control: allocates a 16-byte array per operation, so the GC profiler must report about 16 B/op.
     *
     * @return the array, so that it escapes.
     */
    @Benchmark
    public byte[] allocatingBaseline()
    {
        return new byte[16];
    }
}
