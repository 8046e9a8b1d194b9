package dev.introducer.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The counters as Prometheus text (exposition format 0.0.4) at {@code GET /metrics}, served by the JDK's
 * {@link HttpServer} on a thread of its own: a scrape reads the counters file, never the engines.
 * <p>
 * Every counter of the file is one sample; samples that share a name before their labels form one family with
 * one {@code # HELP} and {@code # TYPE} line. Counters end in {@code _total} (their names were made so at
 * registration, see {@link NodeCounters}); gauges have plain names.
 */
final class MetricsServer implements AutoCloseable
{
    /** The path of the metrics. */
    static final String PATH = "/metrics";
    /** The content type of the text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Starts serving.
     *
     * @param bind     the TCP address.
     * @param counters what to export.
     * @throws UserException when the address cannot be bound.
     */
    MetricsServer(final InetSocketAddress bind, final CountersReader counters)
    {
        try
        {
            server = HttpServer.create(bind, 0);
        }
        catch (final IOException ex)
        {
            throw new UserException("cannot serve metrics on " + bind.getAddress().getHostAddress() + ":" +
                bind.getPort() + ": " + ErrorHandlers.oneLine(ex));
        }
        executor = Executors.newSingleThreadExecutor((task) ->
        {
            final Thread thread = new Thread(task, "introducer-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(PATH, (exchange) -> serve(exchange, counters));
        server.start();
    }

    /**
     * The bound address (with the real port when 0 was asked).
     *
     * @return the address.
     */
    InetSocketAddress localAddress()
    {
        return server.getAddress();
    }

    /**
     * Stops serving at once.
     */
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * The counters in the Prometheus text format.
     *
     * @param counters the counters.
     * @return the text, ending with a line feed.
     */
    static String format(final CountersReader counters)
    {
        final Map<String, List<String>> families = new LinkedHashMap<>();
        final Map<String, String> help = new LinkedHashMap<>();
        final Map<String, Integer> types = new LinkedHashMap<>();
        counters.forEach((id, typeId, key, label) ->
        {
            final String sample = CountersFile.sampleName(key);
            final int brace = sample.indexOf('{');
            final String family = brace < 0 ? sample : sample.substring(0, brace);
            final int colon = label.indexOf(':');
            help.putIfAbsent(family, colon < 0 ? label : label.substring(0, colon));
            types.putIfAbsent(family, typeId);
            families.computeIfAbsent(family, (name) -> new ArrayList<>())
                .add(sample + " " + counters.getCounterValue(id));
        });
        final StringBuilder text = new StringBuilder(4096);
        for (final Map.Entry<String, List<String>> family : families.entrySet())
        {
            final String name = family.getKey();
            text.append("# HELP ").append(name).append(' ').append(help.get(name)).append('\n');
            text.append("# TYPE ").append(name).append(' ')
                .append(types.get(name) == CountersFile.TYPE_GAUGE ? "gauge" : "counter").append('\n');
            for (final String sample : family.getValue())
            {
                text.append(sample).append('\n');
            }
        }
        return text.toString();
    }

    private static void serve(final HttpExchange exchange, final CountersReader counters) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath()))
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] body = format(counters).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if ("HEAD".equals(method))
            {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }
}
