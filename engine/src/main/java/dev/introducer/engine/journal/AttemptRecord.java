package dev.introducer.engine.journal;

import dev.introducer.engine.PathType;
import dev.introducer.engine.Strategy;
import dev.introducer.protocol.NatType;

/**
 * One journalled attempt, as a reader decoded it. The reader reuses one instance: copy what you keep.
 */
public final class AttemptRecord
{
    long sequence;
    long epochMs;
    long durationNs;
    int probes;
    NatType localNat;
    NatType remoteNat;
    Strategy strategy;
    PathType path;
    AttemptResult result;
    long localIdPrefix;
    long peerIdPrefix;

    /**
     * The record's sequence in the file: 0 for the first append.
     *
     * @return the sequence.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * When the attempt ended.
     *
     * @return wall-clock ms since the epoch.
     */
    public long epochMs()
    {
        return epochMs;
    }

    /**
     * From the introduction to the outcome (0 when no attempt ran, as for needs-relay).
     *
     * @return nanoseconds.
     */
    public long durationNs()
    {
        return durationNs;
    }

    /**
     * Probes sent in the attempt.
     *
     * @return the count.
     */
    public int probes()
    {
        return probes;
    }

    /**
     * Our NAT type at the time.
     *
     * @return the type.
     */
    public NatType localNat()
    {
        return localNat;
    }

    /**
     * The peer's NAT type, as its introduction said.
     *
     * @return the type.
     */
    public NatType remoteNat()
    {
        return remoteNat;
    }

    /**
     * The strategy tried.
     *
     * @return the strategy, or null if none was.
     */
    public Strategy strategy()
    {
        return strategy;
    }

    /**
     * How data reaches the peer.
     *
     * @return the path, or null when the attempt did not connect.
     */
    public PathType path()
    {
        return path;
    }

    /**
     * How the attempt ended.
     *
     * @return the result.
     */
    public AttemptResult result()
    {
        return result;
    }

    /**
     * The first 8 bytes of our id (big-endian), telling apart the engines that share a file.
     *
     * @return the prefix.
     */
    public long localIdPrefix()
    {
        return localIdPrefix;
    }

    /**
     * The first 8 bytes of the peer's id (big-endian): {@code String.format("%016x", prefix)} starts its hex.
     *
     * @return the prefix.
     */
    public long peerIdPrefix()
    {
        return peerIdPrefix;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "AttemptRecord{sequence=" + sequence + ", epochMs=" + epochMs + ", durationNs=" + durationNs +
            ", probes=" + probes + ", localNat=" + localNat + ", remoteNat=" + remoteNat + ", strategy=" + strategy +
            ", path=" + path + ", result=" + result + ", peer=" + String.format("%016x", peerIdPrefix) + "}";
    }
}
