package dev.introducer.tools;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns SIGINT and SIGTERM into a call of a stop action, so a long-running command can close its engines and
 * return {@link ExitCodes#OK} itself. With only a shutdown hook the JVM would exit with 128 + the signal number.
 * <p>
 * Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}) by reflection: it is the only way to catch a
 * signal in Java, and reflection keeps the build free of the "internal proprietary API" warning. Where it is
 * missing, a shutdown hook runs the stop action instead and waits for the command to finish.
 */
final class SignalTrap implements AutoCloseable
{
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final List<Object[]> previous = new ArrayList<>();
    private final Thread shutdownHook;

    /**
     * Installs the trap until {@link #close}.
     *
     * @param stop     asks the command to stop; must return at once.
     * @param finished waits (bounded) until the command has stopped, for the shutdown-hook fallback.
     */
    SignalTrap(final Runnable stop, final Runnable finished)
    {
        boolean trapped = false;
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            final Object handler = Proxy.newProxyInstance(
                SignalTrap.class.getClassLoader(), new Class<?>[]{handlerClass}, handlerOf(stop));
            for (final String name : SIGNALS)
            {
                final Object signal = signalClass.getConstructor(String.class).newInstance(name);
                final Object old = handle.invoke(null, signal, handler);
                previous.add(new Object[]{handle, signal, old});
            }
            trapped = true;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            restore();
        }
        if (trapped)
        {
            shutdownHook = null;
        }
        else
        {
            shutdownHook = new Thread(() ->
            {
                stop.run();
                finished.run();
            }, "introducer-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Puts the previous signal handlers back (or removes the shutdown hook).
     */
    public void close()
    {
        restore();
        if (null != shutdownHook)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ex)
            {
                // The JVM is shutting down: the hook is running, nothing to remove.
            }
        }
    }

    private void restore()
    {
        for (final Object[] entry : previous)
        {
            try
            {
                ((Method)entry[0]).invoke(null, entry[1], entry[2]);
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                // Best effort: the process is about to end anyway.
            }
        }
        previous.clear();
    }

    private static InvocationHandler handlerOf(final Runnable stop)
    {
        return (proxy, method, args) ->
        {
            return switch (method.getName())
            {
                case "handle" ->
                {
                    stop.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "introducer signal handler";
                default -> null;
            };
        };
    }
}
