/**
 * The sans-IO core: every protocol decision, as state machines that take the time as an argument and reach the
 * world only through an injected {@link dev.introducer.engine.core.Transport} and
 * {@link dev.introducer.engine.core.Scheduler}. No threads, no clock reads, no sockets.
 */
package dev.introducer.engine.core;
