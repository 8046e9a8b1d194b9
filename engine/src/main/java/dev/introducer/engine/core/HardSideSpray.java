package dev.introducer.engine.core;

import dev.introducer.engine.EngineCounters;
import dev.introducer.engine.Strategy;
import dev.introducer.engine.host.Transport;
import dev.introducer.protocol.Endpoint;

/**
 * The hard side of easy ↔ hard: opens a pool of sockets and sends one probe from each to the easy side's public
 * endpoint. Each probe makes the hard NAT map a new public port towards the easy side, so the pool offers the
 * easy side's spray many targets (the birthday paradox). The socket that receives the easy side's probe wins and
 * is kept for that peer; the others close shortly after.
 */
final class HardSideSpray extends ConnectAttempt
{
    private final FrameWriter writer;
    private final Transport transport;
    private final SocketBudget budget;
    private final Endpoint easyPublic;
    private final long resendNs;
    private final long lingerNs;
    private final int[] sockets;
    private int socketCount;
    private int winnerSocket = Transport.NO_SOCKET;
    private long nextResendNs;
    private long closeLosersAtNs = NO_DEADLINE;
    private boolean losersClosed;

    HardSideSpray(
        final Peer peer, final long token, final long startNs, final long deadlineNs, final Endpoint easyPublic,
        final int poolSize, final FrameWriter writer, final Transport transport, final SocketBudget budget,
        final EngineCounters counters, final EngineConfiguration configuration)
    {
        super(peer, Strategy.SPRAY_HARD_SIDE, token, startNs, deadlineNs);
        this.writer = writer;
        this.transport = transport;
        this.budget = budget;
        this.easyPublic = easyPublic.copy();
        this.resendNs = configuration.sprayPoolResendNs();
        this.lingerNs = configuration.sprayLoserLingerNs();
        this.sockets = new int[poolSize];
        for (int i = 0; i < poolSize; i++)
        {
            final int socketId = transport.openSocket();
            if (socketId == Transport.NO_SOCKET)
            {
                break;
            }
            sockets[socketCount++] = socketId;
        }
        budget.acquire(socketCount);
        counters.add(EngineCounters.Type.SPRAY_SOCKETS_OPENED, socketCount);
        this.nextResendNs = startNs;
    }

    int socketCount()
    {
        return socketCount;
    }

    boolean ownsSocket(final int socketId)
    {
        for (int i = 0; i < socketCount; i++)
        {
            if (sockets[i] == socketId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives up a socket that another peer's connection now uses (a probe can reach any of our pools' ports
     * where the NAT filters by remote endpoint only), so that closing this pool does not cut that peer off.
     *
     * @param socketId the socket now owned by a peer.
     */
    void disown(final int socketId)
    {
        for (int i = 0; i < socketCount; i++)
        {
            if (sockets[i] == socketId)
            {
                sockets[i] = sockets[--socketCount];
                return;
            }
        }
    }

    long onTimer(final long nowNs)
    {
        if (isConnected())
        {
            if (!losersClosed && nowNs >= closeLosersAtNs)
            {
                closeAllBut(winnerSocket);
                losersClosed = true;
            }
            return losersClosed ? NO_DEADLINE : closeLosersAtNs;
        }
        if (nowNs >= nextResendNs)
        {
            for (int i = 0; i < socketCount; i++)
            {
                writer.ping(sockets[i], easyPublic, token(), nowNs);
            }
            probes += socketCount;
            nextResendNs = nowNs + resendNs;
        }
        return nextResendNs;
    }

    void onConnected(final long nowNs, final int socketId)
    {
        super.onConnected(nowNs, socketId);
        winnerSocket = socketId;
        closeLosersAtNs = nowNs + lingerNs;
    }

    boolean isDone()
    {
        return isConnected() && losersClosed;
    }

    void close()
    {
        if (!losersClosed)
        {
            closeAllBut(isConnected() ? winnerSocket : Transport.NO_SOCKET);
            losersClosed = true;
        }
    }

    private void closeAllBut(final int keep)
    {
        int closed = 0;
        for (int i = 0; i < socketCount; i++)
        {
            if (sockets[i] != keep)
            {
                transport.closeSocket(sockets[i]);
                closed++;
            }
        }
        budget.release(closed);
        // The winner, if any, now belongs to the peer, which closes it and returns its budget when forgotten.
        socketCount = 0;
    }
}
