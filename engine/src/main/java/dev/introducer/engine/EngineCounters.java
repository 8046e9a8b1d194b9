package dev.introducer.engine;

import dev.introducer.engine.host.EnumCounters;

/**
 * The core's counters, as plain longs indexed by {@link Type}: the core is single-threaded. A host that wants
 * them in a mapped counters file copies them there on its own duty cycle.
 */
public final class EngineCounters extends EnumCounters<EngineCounters.Type>
{
    /** Every counter of the core, with a stable Prometheus-style name. */
    public enum Type implements EnumCounters.Named
    {
        /** Datagrams handed to the core. */
        DATAGRAMS_RECEIVED("datagrams_received"),
        /** Datagrams the core sent. */
        DATAGRAMS_SENT("datagrams_sent"),
        /** Datagrams the transport refused to send. */
        SEND_FAILURES("send_failures"),
        /** Datagrams dropped because they did not decode. */
        DROPPED_MALFORMED("dropped_malformed"),
        /** Pings, pongs or data from an unknown endpoint without a valid token: a possible hijack, ignored. */
        DROPPED_UNKNOWN_TOKEN("dropped_unknown_token"),
        /** Frames from a sender that may not send them (a CONNECT from a stranger, a relay of a non-LOCAL). */
        DROPPED_UNAUTHORISED("dropped_unauthorised"),
        /** Frames of a type this role does not handle. */
        DROPPED_UNEXPECTED("dropped_unexpected"),
        /** New peers refused because the table is full. */
        DROPPED_PEER_TABLE_FULL("dropped_peer_table_full"),
        /** STUN Binding requests answered. */
        STUN_ANSWERED("stun_answered"),
        /** Joins handled (introducer or member). */
        JOINS_RECEIVED("joins_received"),
        /** Introductions made (pairs). */
        INTRODUCTIONS("introductions"),
        /** Connect attempts started. */
        PUNCH_ATTEMPTS("punch_attempts"),
        /** Connect attempts that connected. */
        PUNCH_SUCCESSES("punch_successes"),
        /** Connect attempts that failed. */
        PUNCH_FAILURES("punch_failures"),
        /** Pairs reported as needing a relay. */
        NEEDS_RELAY("needs_relay"),
        /** Relay sessions offered (introducer). */
        RELAY_OFFERS("relay_offers"),
        /** Of the relay sessions offered, those at an opted-in peer (introducer). */
        PEER_RELAY_OFFERS("peer_relay_offers"),
        /** Relayed peers for which a direct punch was tried again. */
        RELAY_UPGRADE_ATTEMPTS("relay_upgrade_attempts"),
        /** Relayed peers moved to a direct path by a punch that succeeded. */
        RELAY_UPGRADES("relay_upgrades"),
        /** Punches for a relayed peer that failed: it stays relayed. */
        RELAY_UPGRADE_FAILURES("relay_upgrade_failures"),
        /** Pairs that needed a relay when neither a relay node nor an opted-in peer was there (introducer). */
        RELAY_UNAVAILABLE("relay_unavailable"),
        /**
         * Relayed peers moved to another of their relay sessions: a lower session id got both legs bound (two
         * relays answered in different orders), or the one sent on was refused.
         */
        RELAY_SESSION_SWITCHES("relay_session_switches"),
        /** Duplicate connects for a peer already connected or connecting. */
        DUPLICATE_CONNECTS("duplicate_connects"),
        /** Probes sent by easy-side sprays. */
        SPRAY_PROBES_SENT("spray_probes_sent"),
        /** Sockets opened for hard-side sprays. */
        SPRAY_SOCKETS_OPENED("spray_sockets_opened"),
        /** Sprays refused for lack of sockets. */
        SPRAY_BUDGET_EXHAUSTED("spray_budget_exhausted"),
        /** NAT discovery runs. */
        DISCOVERY_RUNS("discovery_runs"),
        /** Peers lost. */
        PEERS_LOST("peers_lost"),
        /** Peers whose observed endpoint changed and was adopted (NAT rebinding). */
        REBINDINGS("rebindings"),
        /**
         * Pings with the session's token from a new endpoint that were not adopted: sent no later than a ping
         * already read (a spray round's pool probe arriving after the hard side's confirmation).
         */
        STALE_PATH_PINGS("stale_path_pings"),
        /** Confirmations of our path sent because the peer's datagrams reached a losing spray socket of ours. */
        STRAY_PATH_CONFIRMS("stray_path_confirms"),
        /** Peers seen restarting. */
        RESTARTS_SEEN("restarts_seen"),
        /** Silent paths re-punched. */
        REPUNCHES("repunches"),
        /** Application messages received. */
        MESSAGES_RECEIVED("messages_received"),
        /** Application messages sent. */
        MESSAGES_SENT("messages_sent"),
        /** Bytes of the datagrams handed to the core. */
        BYTES_RECEIVED("bytes_received"),
        /** Bytes of the datagrams the core sent. */
        BYTES_SENT("bytes_sent"),
        /** Exceptions thrown by the application's callbacks (or the attempt journal), caught and handed on. */
        CALLBACK_ERRORS("callback_errors");

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
    public EngineCounters()
    {
        super(Type.class);
    }

    /**
     * A copy of every value, for reading on another thread.
     *
     * @return a new instance holding the values of now.
     */
    public EngineCounters copy()
    {
        final EngineCounters copy = new EngineCounters();
        for (final Type type : Type.values())
        {
            copy.add(type, get(type));
        }
        return copy;
    }
}
