package dev.introducer.engine;

/**
 * Why a connect attempt ended without a connection.
 */
public enum ConnectFailure
{
    /** No probe got an answer before the attempt's time limit. */
    TIMEOUT,
    /** The spray could not get the sockets it needs: the socket budget is exhausted. */
    SOCKET_BUDGET_EXHAUSTED,
    /** Our NAT type is still unknown when the attempt expired. */
    NAT_UNKNOWN,
    /** The relay refused the bind (bad or expired token, quota). */
    RELAY_REFUSED
}
