package dev.introducer.engine.relay;

/**
 * The relay's counters: plain longs, one writer (the worker that owns them).
 */
public final class RelayCounters extends dev.introducer.engine.host.EnumCounters<RelayCounters.Type>
{
    /** Every counter of the relay, with a stable metric name. */
    public enum Type implements dev.introducer.engine.host.EnumCounters.Named
    {
        /** Datagrams received. */
        DATAGRAMS_RECEIVED("relay_datagrams_received"),
        /** Datagrams forwarded to the other leg. */
        DATAGRAMS_FORWARDED("relay_datagrams_forwarded"),
        /** Bytes forwarded. */
        BYTES_FORWARDED("relay_bytes_forwarded"),
        /** Legs bound. */
        BINDS("relay_binds"),
        /** Sessions created. */
        SESSIONS_OPENED("relay_sessions_opened"),
        /** Sessions expired. */
        SESSIONS_EXPIRED("relay_sessions_expired"),
        /** Dropped: not a frame of ours, or malformed. */
        DROPPED_MALFORMED("relay_dropped_malformed"),
        /** Dropped: data from an address that is no bound leg, or for another channel. */
        DROPPED_UNBOUND("relay_dropped_unbound"),
        /** Dropped: a token that does not verify. */
        DROPPED_FORGED_TOKEN("relay_dropped_forged_token"),
        /** Dropped: an expired token on a first bind. */
        DROPPED_EXPIRED_TOKEN("relay_dropped_expired_token"),
        /** Dropped: a bound leg's token presented from another address. */
        DROPPED_REPLAYED_TOKEN("relay_dropped_replayed_token"),
        /** Dropped: a token for another relay. */
        DROPPED_WRONG_RELAY("relay_dropped_wrong_relay"),
        /** Dropped: the session's packet or byte quota. */
        QUOTA_SESSION("relay_quota_session"),
        /** Dropped: the source's bind-attempt quota. */
        QUOTA_BIND("relay_quota_bind"),
        /** Dropped: the session table is full. */
        QUOTA_SESSIONS_FULL("relay_quota_sessions_full"),
        /** Dropped (peer relay): a bind from an address that is not a peer connected to us directly. */
        DROPPED_NOT_A_PEER("relay_dropped_not_a_peer"),
        /** Datagrams of a type the relay does not handle. */
        DROPPED_UNEXPECTED("relay_dropped_unexpected");

        private final String metricName;

        Type(final String metricName)
        {
            this.metricName = metricName;
        }

        /**
         * A stable snake_case name.
         *
         * @return the name.
         */
        public String metricName()
        {
            return metricName;
        }
    }

    /**
     * Every counter at zero.
     */
    public RelayCounters()
    {
        super(Type.class);
    }
}
