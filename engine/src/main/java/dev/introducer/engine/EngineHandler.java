package dev.introducer.engine;

import dev.introducer.engine.core.EngineListener;

/**
 * The application's callbacks: NAT discovered, peer connected (path, strategy, time to connect, probes), message
 * received (zero-copy), peer lost, needs relay, connect failed. Every method has an empty default.
 * <p>
 * <b>Threading:</b> every callback runs on the engine's own thread. A handler must not block it; the buffer of
 * {@code onMessage} is valid only during the call. Calls into the {@link Engine} from a handler are cheapest,
 * since they need no thread hop.
 */
public interface EngineHandler extends EngineListener
{
}
