package dev.introducer.engine.core;

import dev.introducer.engine.ConnectFailure;

/**
 * How many spray sockets the core may still open. Every socket opened for a spray is charged here and given back
 * when it closes, so that concurrent sprays share a bounded number of file descriptors and the one that would
 * exceed it gets a clear {@link ConnectFailure#SOCKET_BUDGET_EXHAUSTED} instead of a failing bind.
 */
final class SocketBudget
{
    private final int capacity;
    private int inUse;

    SocketBudget(final int capacity)
    {
        this.capacity = capacity;
    }

    int available()
    {
        return capacity - inUse;
    }

    void acquire(final int count)
    {
        inUse += count;
    }

    void release(final int count)
    {
        inUse -= count;
    }

    int inUse()
    {
        return inUse;
    }
}
