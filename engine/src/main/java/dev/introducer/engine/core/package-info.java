/**
 * The sans-IO core: every protocol decision, as state machines that take the time as an argument and reach the
 * world only through an injected {@link dev.introducer.engine.host.Transport} and
 * {@link dev.introducer.engine.host.Scheduler}. No threads, no clock reads, no sockets.
 */
package dev.introducer.engine.core;

import dev.introducer.engine.host.Scheduler;
import dev.introducer.engine.host.Transport;
