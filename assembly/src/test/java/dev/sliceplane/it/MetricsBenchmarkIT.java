package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a node holding many slivers (simulated VMM), scraped over loopback beside
 * Debian's prometheus-node-exporter scraped the same way in the same run, printed as figures for
 * docs/benchmarks.md. Not part of the normal test run; {@code bench/metrics-bench.sh} runs it:
 * {@code mvn -B verify -pl assembly -Dit.test=MetricsBenchmarkIT -Dsliceplane.bench=true}
 * (optionally {@code -Dsliceplane.bench.slivers=1000 -Dsliceplane.bench.scrapes=500}).
 */
@EnabledIfSystemProperty(named = "sliceplane.bench", matches = "true")
class MetricsBenchmarkIT {

    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final String TEXT = "text/plain;version=0.0.4";
    private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One series of scrapes of one endpoint: latencies in nanoseconds and the last body. */
    private record Scrapes(String what, long[] nanos, int bytes, String body) {
    }

    @Test
    void scrapeManySliversBesideNodeExporter() throws Exception {
        int slivers = Integer.getInteger("sliceplane.bench.slivers", 1000);
        int scrapes = Integer.getInteger("sliceplane.bench.scrapes", 500);
        int warmup = Integer.getInteger("sliceplane.bench.warmup", 200);
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"), "backend = simulated\nsimulated.seed = 1\n"
                + "simulated.cores = 64\nsimulated.memoryBytes = " + (1L << 40) + "\nsampleSeconds = 5\n");
        Process exporter = null;
        List<String> jvm = NodeProcess.benchmarkJvmOptions();
        try (NodeProcess node = new NodeProcess(data).jvmOptions(jvm)) {
            node.start();
            Http http = node.http();
            assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
            createSlivers(http, slivers);
            URI nodeMetrics = URI.create("http://127.0.0.1:" + node.port() + "/metrics");
            awaitSlivers(nodeMetrics, slivers);

            URI exporterMetrics = null;
            if (Files.isExecutable(NODE_EXPORTER)) {
                int port = NodeProcess.freePort();
                exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(tmp.resolve("node-exporter.log").toFile()).start();
                exporterMetrics = URI.create("http://127.0.0.1:" + port + "/metrics");
                awaitUp(exporterMetrics);
            } else {
                System.out.println("BENCH " + NODE_EXPORTER + " is missing (apt-get install prometheus-node-exporter): "
                        + "no comparison");
            }

            String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
            // Interleaved, so both endpoints meet the same load from the machine's other users.
            List<Scrapes> series = new ArrayList<>();
            long[] text = new long[scrapes];
            long[] openMetrics = new long[scrapes];
            long[] gzip = new long[scrapes];
            long[] exporterText = new long[scrapes];
            String[] last = new String[4];
            int[] bytes = new int[4];
            for (int i = -warmup; i < scrapes; i++) {
                int at = Math.max(i, 0);
                text[at] = scrape(nodeMetrics, TEXT, false, last, bytes, 0);
                openMetrics[at] = scrape(nodeMetrics, OPENMETRICS, false, last, bytes, 1);
                gzip[at] = scrape(nodeMetrics, OPENMETRICS, true, last, bytes, 2);
                if (exporterMetrics != null) {
                    exporterText[at] = scrape(exporterMetrics, TEXT, false, last, bytes, 3);
                }
            }
            String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
            series.add(new Scrapes("node /metrics, text", text, bytes[0], last[0]));
            series.add(new Scrapes("node /metrics, OpenMetrics", openMetrics, bytes[1], last[1]));
            series.add(new Scrapes("node /metrics, OpenMetrics gzip (as Prometheus asks)", gzip, bytes[2], null));
            if (exporterMetrics != null) {
                series.add(new Scrapes("prometheus-node-exporter, text", exporterText, bytes[3], last[3]));
            }

            System.out.printf("BENCH %d slivers, %d scrapes per endpoint (after %d warm-up), interleaved; "
                    + "loadavg before %s, after %s; node JVM %s%n", slivers, scrapes, warmup, loadBefore, loadAfter, jvm);
            for (Scrapes s : series) {
                long[] sorted = s.nanos().clone();
                Arrays.sort(sorted);
                String samples = s.body() == null ? "" : String.format(", %d samples", samples(s.body()));
                System.out.printf("BENCH %-55s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  %,d bytes%s%n", s.what(),
                        sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                        sorted[sorted.length - 1] / 1e6, s.bytes(), samples);
            }
            int sliverSeries = sliverSeries(last[0]);
            System.out.printf("BENCH series per sliver: %.2f (%d sliver series, %d slivers)%n",
                    (double) sliverSeries / slivers, sliverSeries, slivers);
            Matcher duration = Pattern.compile("^sliceplane_scrape_source_duration_seconds\\{source=\"([^\"]+)\"\\} (\\S+)$",
                    Pattern.MULTILINE).matcher(last[0]);
            while (duration.find()) {
                System.out.printf("BENCH source %s: last collection %.3f ms%n", duration.group(1),
                        Double.parseDouble(duration.group(2)) * 1e3);
            }
        } finally {
            if (exporter != null) {
                exporter.destroy();
                exporter.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One scrape; returns its wall time (request sent to body read) in nanoseconds. */
    private long scrape(URI uri, String accept, boolean gzip, String[] last, int[] bytes, int slot)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept).GET();
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode());
        }
        bytes[slot] = response.body().length;
        if (!gzip) {
            last[slot] = new String(response.body(), StandardCharsets.UTF_8);
        }
        return nanos;
    }

    private static void createSlivers(Http http, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = String.format("bench_slice%04d", i);
                made.add(pool.submit(() -> {
                    require(http.postJson("/api/v1/it/vmm/create?name=" + name + "&memory=" + (256L << 20), "{}"));
                    require(http.postJson("/api/v1/it/vmm/launch?name=" + name + "&cmd=sleep&cmd=3600", "{}"));
                    return null;
                }));
            }
            for (Future<?> f : made) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void require(Http.Response r) {
        if (r.status() != 200) {
            throw new IllegalStateException(r.status() + " " + r.body());
        }
    }

    private void awaitSlivers(URI metrics, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String[] last = new String[1];
        while (true) {
            scrape(metrics, TEXT, false, last, new int[1], 0);
            Set<String> slices = new HashSet<>();
            Matcher m = Pattern.compile("^sliceplane_sliver_processes\\{slice=\"([^\"]+)\"\\}", Pattern.MULTILINE)
                    .matcher(last[0]);
            while (m.find()) {
                slices.add(m.group(1));
            }
            if (slices.size() >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + slices.size() + " slivers in /metrics after 120 s");
            }
            Thread.sleep(500);
        }
    }

    private void awaitUp(URI metrics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                scrape(metrics, TEXT, false, new String[1], new int[1], 0);
                return;
            } catch (IOException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int samples(String text) {
        return (int) text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }

    private static int sliverSeries(String text) {
        return (int) text.lines().filter(l -> l.startsWith("sliceplane_sliver_")).count();
    }
}
