package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code /metrics} of an assembled node on the simulated VMM with a few slivers, read the way
 * operators read it: checked by promtool, scraped by a real Prometheus server (Debian's) whose
 * answers agree with the node's own API, and drawn by the example Grafana dashboard, whose
 * queries must name only metrics the node serves. The example Prometheus configuration must pass
 * {@code promtool check config}.
 */
@EnabledOnOs(OS.LINUX)
class MetricsIT {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    /** Each source's deadline, below Prometheus's 1 s scrape timeout here. */
    private static final long DEADLINE_MILLIS = 300;
    private static final long LIMIT_A = 256L << 20;
    private static final long LIMIT_B = 128L << 20;
    private static final Path DIST = Path.of(System.getProperty("sliceplane.dist", "target/sliceplane")).toAbsolutePath();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    static Path tmp;

    private static NodeProcess node;
    private static Http http;

    @BeforeAll
    static void startNodeWithSlivers() throws Exception {
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"),
                "backend = simulated\nsimulated.seed = 7\nsampleSeconds = 0.5\n");
        Files.writeString(data.resolve("etc/dev.sliceplane.metrics.cfg"), "sourceDeadlineMillis = " + DEADLINE_MILLIS + "\n");
        node = new NodeProcess(data); // assigned before start, so that @AfterAll stops it if start fails
        node.start();
        http = node.http();
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        await("the probe's first sample", () -> http.get("/api/v1/it/vmm").json().path("samples").asLong() > 0);
        for (String sliver : List.of("it_metrics_a:" + LIMIT_A, "it_metrics_b:" + LIMIT_B)) {
            String[] nameAndLimit = sliver.split(":");
            assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=" + nameAndLimit[0] + "&memory=" + nameAndLimit[1],
                    "{}").status());
            assertEquals(200, http.postJson("/api/v1/it/vmm/launch?name=" + nameAndLimit[0] + "&cmd=sleep&cmd=600",
                    "{}").status());
        }
        await("both slivers in /metrics", () -> {
            String text = metrics("text/plain");
            return text.contains("sliceplane_sliver_memory_limit_bytes{slice=\"it_metrics_a\"}")
                    && text.contains("sliceplane_sliver_memory_limit_bytes{slice=\"it_metrics_b\"}");
        });
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theTextFormatPassesPromtool() throws Exception {
        PrometheusServer.assumeInstalled();
        Http.Response r = http.send(http.request("/metrics").header("Accept", "text/plain").GET().build());
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());

        PrometheusServer.ToolResult lint = PrometheusServer.promtool(r.body(), "check", "metrics");

        assertEquals(new PrometheusServer.ToolResult(0, ""), lint, "promtool check metrics");
        for (String series : List.of("sliceplane_node_memory_total_bytes ", "sliceplane_node_cpus ",
                "sliceplane_sliver_cpu_seconds_total{slice=\"it_metrics_a\"}", "sliceplane_slice_threads{",
                "jvm_memory_used_bytes{", "sliceplane_scrape_source_age_seconds{source=\"dev.sliceplane.monitor\"}",
                "sliceplane_monitor_sample_timestamp_seconds ")) {
            assertTrue(r.body().contains(series), "no " + series + " in\n" + r.body());
        }
    }

    @Test
    void openMetricsByContentNegotiation() throws Exception {
        Http.Response r = http.send(http.request("/metrics")
                .header("Accept", "application/openmetrics-text; version=1.0.0").GET().build());
        assertEquals(200, r.status());
        assertEquals(OPENMETRICS, r.contentType());
        String text = r.body();
        assertTrue(text.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(text.contains("# TYPE sliceplane_sliver_cpu_seconds counter\n# UNIT sliceplane_sliver_cpu_seconds seconds\n"),
                text);
        assertTrue(text.contains("\nsliceplane_sliver_cpu_seconds_total{slice=\"it_metrics_a\"} "), text);
        assertTrue(text.contains("# TYPE sliceplane_node info\n"), text);
        // promtool (2.42) lints the Prometheus text format only; Prometheus's own OpenMetrics
        // parser reads this output in aRealPrometheusScrapesTheNodeAndAgreesWithIt.
    }

    @Test
    void aHungSourceNeitherStallsTheScrapeNorLosesItsFamilies() throws Exception {
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.slowMetrics()).status());
        long id = -1;
        try {
            await("the slow source's first answer", () -> metrics("text/plain").contains("\nit_slow_calls 1.0\n"));
            id = bundleId("it.slowmetrics");
            String source = "{source=\"it.slowmetrics\"}";
            for (int scrape = 0; scrape < 3; scrape++) {
                long start = System.nanoTime();
                String text = metrics("text/plain");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertTrue(millis < DEADLINE_MILLIS + 5_000, "a scrape past the hung source took " + millis + " ms");
                assertTrue(text.contains("\nit_slow_calls 1.0\n"), "its last good families are served:\n" + text);
                assertTrue(text.contains("sliceplane_node_memory_total_bytes "), "the other sources still answer");
            }
            String text = metrics("text/plain");
            assertTrue(value(text, "sliceplane_scrape_source_timeouts_total" + source) >= 3, text);
            assertTrue(value(text, "sliceplane_scrape_source_age_seconds" + source) >= 3 * DEADLINE_MILLIS / 1e3, text);
            assertTrue(value(text, "sliceplane_scrape_source_age_seconds{source=\"dev.sliceplane.monitor\"}") < 1, text);
        } finally {
            if (id >= 0) {
                assertEquals(204, http.delete("/api/v1/bundles/" + id).status());
            }
        }
    }

    @Test
    void theSliceLabelFollowsTheLiveSlivers() throws Exception {
        assertEquals(Set.of("it_metrics_a", "it_metrics_b"), sliceLabels(metrics("text/plain")));
        assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=it_metrics_gone", "{}").status());
        await("the new sliver's series", () -> sliceLabels(metrics("text/plain")).contains("it_metrics_gone"));
        assertEquals(200, http.postJson("/api/v1/it/vmm/destroy?name=it_metrics_gone", "{}").status());
        await("no series left of the destroyed sliver",
                () -> sliceLabels(metrics("text/plain")).equals(Set.of("it_metrics_a", "it_metrics_b")));
    }

    @Test
    void aRealPrometheusScrapesTheNodeAndAgreesWithIt() throws Exception {
        PrometheusServer.assumeInstalled();
        // A second target passes Prometheus's scrapes through to the node, recording the Accept
        // header, to show that Prometheus asked for (and parsed) OpenMetrics.
        List<String> accepts = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/metrics", exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            accepts.add(accept);
            try {
                Http.Response r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                        .header("Accept", accept).GET().build());
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
                exchange.sendResponseHeaders(r.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
            }
            exchange.close();
        });
        recorder.start();
        try (PrometheusServer prometheus = PrometheusServer.start(tmp.resolve("prometheus"),
                "127.0.0.1:" + node.port(), "127.0.0.1:" + recorder.getAddress().getPort())) {
            String sliverQuery = "sliceplane_sliver_memory_limit_bytes{slice=\"it_metrics_a\"}";
            await("Prometheus has the sliver's series from both targets\n" + prometheus.log(),
                    () -> prometheus.query(sliverQuery).size() == 2);

            JsonNode vmm = http.get("/api/v1/vmm").json();
            JsonNode sliver = http.get("/api/v1/vmm/slivers/it_metrics_a").json();
            assertEquals(LIMIT_A, sliver.path("limits").path("memoryBytes").asLong(), sliver.toString());
            for (JsonNode series : prometheus.query(sliverQuery)) {
                assertEquals(LIMIT_A, value(series), series.toString());
            }
            long memTotal = vmm.path("node").path("memTotalBytes").asLong();
            JsonNode monitored = http.get("/api/v1/monitor/node").json();
            assertEquals(memTotal, monitored.path("memTotalBytes").asLong(), monitored.toString());
            for (JsonNode series : prometheus.query("sliceplane_node_memory_total_bytes")) {
                assertEquals(memTotal, value(series), series + " against " + vmm);
            }
            JsonNode slivers = prometheus.query("sliceplane_node_slivers");
            assertEquals(2, slivers.size(), slivers.toString());
            for (JsonNode series : slivers) {
                assertEquals(2, value(series), series.toString());
            }
            for (JsonNode target : prometheus.targets()) {
                assertEquals("up", target.path("health").asText(), target.toString());
                assertEquals("", target.path("lastError").asText(), target.toString());
            }
            assertEquals(2, prometheus.targets().size());
            assertTrue(!accepts.isEmpty() && accepts.get(0).startsWith("application/openmetrics-text"),
                    "Prometheus asked for " + accepts);
        } finally {
            recorder.stop(0);
        }
    }

    @Test
    void theExamplePrometheusConfigurationIsValid() throws Exception {
        PrometheusServer.assumeInstalled();
        Path config = DIST.resolve("examples/prometheus.yml");
        assertTrue(Files.isRegularFile(config), config + " is in the distribution");

        PrometheusServer.ToolResult check = PrometheusServer.promtool("", "check", "config", config.toString());

        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void theExampleDashboardQueriesOnlyMetricsTheNodeServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DIST.resolve("examples/grafana-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        dashboard.findValues("definition").forEach(e -> queries.add(e.asText()));
        assertTrue(queries.size() > 10, "queries: " + queries);
        Set<String> served = sampleNames(metrics("text/plain"));

        Set<String> missing = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:sliceplane|jvm)_[a-z0-9_]+)").matcher(String.join("\n", queries));
        while (m.find()) {
            if (!served.contains(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        // The slivers here were made through the VMM probe and hold no lease, so the node serves
        // no lease ends: the monitor's API must say so, rather than the test assuming it.
        if (missing.remove("sliceplane_sliver_lease_end_timestamp_seconds")) {
            JsonNode rows = http.get("/api/v1/monitor/slivers?select=name,lease_end").json().path("rows");
            assertTrue(rows.size() >= 2, rows.toString());
            for (JsonNode row : rows) {
                assertTrue(row.path("lease_end").isNull(), "a sliver with a lease but no lease-end series: " + row);
            }
        }
        assertEquals(Set.of(), missing, "metrics the dashboard queries but the node does not serve");
    }

    private static String metrics(String accept) throws IOException, InterruptedException {
        return http.send(http.request("/metrics").header("Accept", accept).GET().build()).body();
    }

    private static long bundleId(String symbolicName) throws Exception {
        for (JsonNode b : http.get("/api/v1/bundles").json()) {
            if (b.path("symbolicName").asText().equals(symbolicName)) {
                return b.path("id").asLong();
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** The value of the sample line starting with {@code series}. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static Set<String> sampleNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> sliceLabels(String text) {
        Set<String> slices = new TreeSet<>();
        Matcher m = Pattern.compile("^sliceplane_sliver_[a-z_]+\\{slice=\"([^\"]+)\"\\}", Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            slices.add(m.group(1));
        }
        return slices;
    }

    private static double value(JsonNode series) {
        return Double.parseDouble(series.path("value").get(1).asText());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "\nnode log:\n" + node.log());
            }
            Thread.sleep(200);
        }
    }
}
