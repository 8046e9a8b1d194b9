package dev.introducer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code introducer node --metrics}: a node with a relay on loopback, some traffic, then a scrape of
 * {@code /metrics} whose every sample equals the counter of the same name in the node's counters file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeMetricsTest
{
    /** What {@link #sendGarbage} sends: no frame of ours, nor STUN. */
    static final String GARBAGE = "garbage";

    @Test
    void metricsEqualTheCountersFile(@TempDir final Path dir) throws Exception
    {
        final Path countersFile = dir.resolve("counters.dat");
        final Path secret = Files.writeString(dir.resolve("relay.secret"), "0123456789abcdef0123456789abcdef\n");
        final int relayPort = CommandRun.freePort();
        try (RunningNode node = new RunningNode(countersFile, "--metrics", "127.0.0.1:0",
            "--relay", "127.0.0.1:" + relayPort, "--relay-secret-file", secret.toString()))
        {
            final CommandRun nat = new CommandRun().execute(
                Stream.concat(Stream.of("nat", "--timeout", "10"), Stream.of(node.introducerArgs()))
                    .toArray(String[]::new));
            assertEquals(ExitCodes.OK, nat.exitCode(), nat::transcript);
            sendGarbage(node.first());
            sendGarbage("127.0.0.1:" + relayPort);
            awaitCounter(countersFile, "introducer_engine_dropped_total{reason=\"malformed\"}", 1);
            awaitCounter(countersFile, "introducer_relay_dropped_total{reason=\"malformed\"}", 1);

            final URI uri = URI.create("http://127.0.0.1:" + node.command().metricsAddress().getPort() + "/metrics");
            final HttpResponse<String> response = scrapeWhileTheFileIsStill(uri, countersFile);

            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("Content-Type").orElse(""));
            final String body = response.body();
            assertTrue(body.endsWith("\n"), body);
            final Map<String, Long> scraped = samples(body);
            assertEquals(fileValues(countersFile), scraped, body);
            assertTrue(scraped.get("introducer_engine_datagrams_received_total") > 0, body);
            assertTrue(scraped.get("introducer_engine_datagrams_sent_total") > 0, body);
            assertTrue(scraped.get("introducer_engine_bytes_received_total") >=
                scraped.get("introducer_engine_datagrams_received_total") * 4 + GARBAGE.length(), body);
            assertTrue(scraped.get("introducer_engine_bytes_sent_total") > 0, body);
            assertEquals(1L, scraped.get("introducer_relay_datagrams_received_total"), body);
            assertEquals(0L, scraped.get("introducer_relay_sessions"), body);
            assertEquals(0L, scraped.get("introducer_engine_callback_errors_total"), body);
            assertFamiliesAreWellFormed(body);

            final HttpResponse<String> notFound = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri.resolve("/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, notFound.statusCode());
        }
    }

    /** Each family: one HELP then one TYPE line, then its samples; counters end in _total, gauges do not. */
    private static void assertFamiliesAreWellFormed(final String body)
    {
        final List<String> lines = body.lines().toList();
        final List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.startsWith("# HELP "))
            {
                final String family = line.split(" ")[2];
                assertTrue(!seen.contains(family), () -> "family twice: " + family);
                seen.add(family);
                final String type = lines.get(i + 1);
                assertTrue(type.equals("# TYPE " + family + " counter") && family.endsWith("_total") ||
                    type.equals("# TYPE " + family + " gauge") && !family.endsWith("_total"), type);
                assertTrue(lines.get(i + 2).startsWith(family), lines.get(i + 2));
            }
            else if (!line.startsWith("#"))
            {
                assertTrue(line.matches("[a-z_]+(\\{[a-z_]+=\"[a-z_-]+\"(,[a-z_]+=\"[a-z_-]+\")*})? \\d+"), line);
                assertTrue(line.startsWith(seen.get(seen.size() - 1)), line);
            }
        }
        assertTrue(seen.contains("introducer_punch_results_total"), body);
        assertTrue(seen.contains("introducer_relay_quota_hits_total"), body);
        assertTrue(seen.contains("introducer_relay_sessions"), body);
    }

    /** The node keeps its counters moving only while there is traffic: scrape between two equal file reads. */
    private static HttpResponse<String> scrapeWhileTheFileIsStill(final URI uri, final Path countersFile)
        throws Exception
    {
        final HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++)
        {
            final Map<String, Long> before = fileValues(countersFile);
            final HttpResponse<String> response =
                client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (before.equals(fileValues(countersFile)))
            {
                return response;
            }
            Thread.sleep(NodeCounters.PUBLISH_PERIOD_MS_DEFAULT);
        }
        return fail("the counters never stood still for one scrape");
    }

    static Map<String, Long> fileValues(final Path countersFile)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        try (CountersFile file = CountersFile.openReadOnly(countersFile))
        {
            file.reader().forEach((id, typeId, key, label) ->
                values.put(CountersFile.sampleName(key), file.reader().getCounterValue(id)));
        }
        return values;
    }

    static void awaitCounter(final Path countersFile, final String sample, final long atLeast)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadlineNs)
        {
            final Long value = fileValues(countersFile).get(sample);
            if (null != value && value >= atLeast)
            {
                return;
            }
            Thread.sleep(20);
        }
        fail(sample + " did not reach " + atLeast + ": " + fileValues(countersFile));
    }

    static void sendGarbage(final String endpoint) throws Exception
    {
        final int colon = endpoint.lastIndexOf(':');
        final byte[] bytes = GARBAGE.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(
                InetAddress.getLoopbackAddress(), Integer.parseInt(endpoint.substring(colon + 1)))));
        }
    }

    private static Map<String, Long> samples(final String body)
    {
        final Map<String, Long> samples = new LinkedHashMap<>();
        for (final String line : body.split("\n"))
        {
            if (!line.startsWith("#") && !line.isEmpty())
            {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
        }
        return samples;
    }
}
