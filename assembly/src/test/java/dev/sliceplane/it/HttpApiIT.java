package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The HTTP API's conventions on a real node: resources, errors as problems, limits. */
class HttpApiIT {

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        http = node.http();
        node.awaitHealthy(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        node.stop();
    }

    @Test
    void nodeDescribesItself() throws Exception {
        Http.Response response = http.get("/api/v1/node");
        assertEquals(200, response.status());
        assertTrue(response.contentType().startsWith("application/json"));
        JsonNode body = response.json();
        assertEquals(36, body.get("id").asText().length(), "a UUID: " + body);
        assertEquals("[\"authority\",\"node\"]", body.get("roles").toString());
        assertTrue(body.get("uptimeSeconds").asLong() >= 0);
        assertTrue(body.get("framework").asText().startsWith("Apache Felix 7."), body.toString());
    }

    @Test
    void healthAggregatesChecks() throws Exception {
        JsonNode health = http.get("/api/v1/health").json();
        assertEquals("UP", health.get("status").asText());
        boolean slices = false;
        for (JsonNode check : health.get("checks")) {
            slices |= check.get("name").asText().equals("slices") && check.get("status").asText().equals("UP");
        }
        assertTrue(slices, "the slices check runs: " + health);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode check : health.get("checks")) {
            names.add(check.get("name").asText());
            assertEquals(3, check.get("consecutive").asInt(), "the default: " + check);
            assertTrue(check.has("pending"), "a pending change is shown (null when none): " + check);
        }
        assertTrue(names.containsAll(java.util.List.of("disk", "memory", "clock", "references", "vmm", "samples")),
                "the monitor's checks run: " + names);
    }

    @Test
    void slicesListThePlatformItself() throws Exception {
        JsonNode platform = http.get("/api/v1/slices/mgmt_platform").json();
        assertEquals("dev.sliceplane.platform", platform.get("bundle").asText());
        assertTrue(platform.get("usage").get("httpRequests").asLong() > 0, "requests are accounted: " + platform);
        assertEquals(404, http.get("/api/v1/slices/mgmt_nosuch").status());
    }

    @Test
    void bundlesComeFromTheFrameworkAndTheComponentRuntime() throws Exception {
        JsonNode bundles = http.get("/api/v1/bundles").json();
        JsonNode platform = null;
        for (JsonNode b : bundles) {
            if (b.get("symbolicName").asText().equals("org.apache.felix.gogo.shell")) {
                assertFalse(b.get("state").asText().equals("ACTIVE"), "no shell without a terminal");
                continue;
            }
            assertFalse(b.get("state").asText().equals("INSTALLED"), "unresolved bundle: " + b);
            if (b.get("symbolicName").asText().equals("dev.sliceplane.platform")) {
                platform = b;
            }
        }
        assertTrue(platform != null);
        assertEquals("mgmt_platform", platform.get("slice").asText());
        for (JsonNode ref : platform.get("consumes")) {
            assertTrue(ref.get("satisfied").asBoolean(), "unsatisfied reference: " + ref);
        }
    }

    @Test
    void errorsAreProblemsWithoutStackTraces() throws Exception {
        SwapIT.assertProblem(http.get("/api/v1/nothing/here"), 404, "not-found");
        SwapIT.assertProblem(http.get("/nothing"), 404, "not-found");
        Http.Response wrongMethod = http.method("DELETE", "/api/v1/health");
        SwapIT.assertProblem(wrongMethod, 405, "method-not-allowed");
        assertEquals("GET, HEAD, OPTIONS", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
        SwapIT.assertProblem(http.postJson("/api/v1/services/x/swap", "{\"implementation\": "), 400, "malformed-json");
        SwapIT.assertProblem(http.postJson("/api/v1/services/x/swap", "{\"implementation\":\"a\",\"extra\":1}"), 400,
                "bad-request");
        SwapIT.assertProblem(http.post("/api/v1/services/x/swap", "text/plain", "x".getBytes()), 415,
                "unsupported-media-type");
        SwapIT.assertProblem(http.postJson("/api/v1/services/x/swap", "[1,2]"), 400, "malformed-json");
    }

    @Test
    void oversizedBodiesAreRefusedWhetherDeclaredOrStreamed() throws Exception {
        byte[] big = new byte[2 << 20];
        SwapIT.assertProblem(http.post("/api/v1/services/x/swap", "application/json", big), 413, "payload-too-large");
        HttpRequest streamed = http.request("/api/v1/services/x/swap")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        try {
            SwapIT.assertProblem(http.send(streamed), 413, "payload-too-large");
        } catch (java.io.IOException closedWhileSending) {
            // HTTP/1.1 lets a server answer and close before the client finished sending a body
            // it refuses; the client may then see the closed connection instead of the 413.
        }
        assertEquals(200, http.get("/api/v1/health").status(), "the node keeps serving");
    }

    @Test
    void metricsAreServedInBothPrometheusFormats() throws Exception {
        Http.Response text = http.get("/metrics");
        assertEquals(200, text.status());
        assertTrue(text.contentType().startsWith("text/plain"), text.contentType());
        assertTrue(text.body().contains("# TYPE sliceplane_slice_cpu_seconds_total counter"), text.body());
        assertTrue(text.body().contains("sliceplane_slice_cpu_seconds_total{bundle=\"dev.sliceplane.platform\",slice=\"mgmt_platform\"}"));
        assertTrue(text.body().contains("sliceplane_node_up 1.0"));
        assertTrue(text.body().contains("jvm_memory_used_bytes"), "JVM metrics too");

        Http.Response open = http.send(http.request("/metrics")
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").GET().build());
        assertTrue(open.contentType().startsWith("application/openmetrics-text"), open.contentType());
        assertTrue(open.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }

    @Test
    void theDashboardIsServedAtTheRoot() throws Exception {
        Http.Response page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("/api/v1"), "the page reads the API");
    }

    @Test
    void aBundleDroppedIntoDeployIsInstalled() throws Exception {
        TestBundles.write(TestBundles.steady(), node.deployDir().resolve("it.steady.jar"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && http.get("/api/v1/it/steady").status() != 200) {
            Thread.sleep(100);
        }
        assertEquals(200, http.get("/api/v1/it/steady").status(), node.log());
        assertEquals("mgmt_steady", http.get("/api/v1/slices/mgmt_steady").json().get("name").asText());
    }
}
