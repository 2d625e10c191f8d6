package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The monitor's query API on a real node sampling every second: a sliver burning a core and one
 * sleeping, made through the VMM and running real programs, show up in rows a researcher
 * selects, filters, sorts and limits, as JSON and CSV; bad queries name the bad term; history
 * has points; the node's figures agree with the kernel's.
 */
@EnabledOnOs(OS.LINUX)
class MonitorIT {

    /** How long to wait for a node to show what a step should have caused. */
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static final String BURNER = "mon_burner";
    private static final String SLEEPER = "mon_sleeper";

    @TempDir
    Path tmp;

    private NodeProcess node;
    private final List<String> slivers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            try {
                for (String sliver : slivers) { // slivers outlive the node: the burner must not
                    node.http().postJson("/api/v1/it/vmm/destroy?name=" + sliver, "{}");
                }
            } finally {
                node.close();
            }
        }
    }

    @Test
    void researchersQueryFiguresHistoryAndTheNode() throws Exception {
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"), "backend = process\nsampleSeconds = 1\n");
        node = new NodeProcess(data); // assigned first, so a node that fails to start is still stopped
        node.start();
        Http http = node.http();
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        http.awaitJson("/api/v1/it/vmm", body -> body.path("samples").asLong() > 0, AWAIT);

        slivers.add(BURNER);
        assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=" + BURNER + "&memory=268435456", "{}").status());
        assertEquals(200, http.postJson("/api/v1/it/vmm/launch?name=" + BURNER
                + "&cmd=sh&cmd=-c&cmd=" + q("while :; do :; done"), "{}").status());
        slivers.add(SLEEPER);
        assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=" + SLEEPER, "{}").status());
        assertEquals(200, http.postJson("/api/v1/it/vmm/launch?name=" + SLEEPER + "&cmd=sleep&cmd=600", "{}").status());

        // Rows: the burner first, above a third of a core (it spins a whole one; the machine is shared).
        String rowsQuery = "/api/v1/monitor/slivers?select=name,cpu,mem_limit,processes&where=" + q("cpu >= 0")
                + "&sort=-cpu&limit=2";
        JsonNode rows = http.awaitJson(rowsQuery, body -> body.path("rows").size() == 2
                && body.path("rows").get(0).path("name").asText().equals(BURNER)
                && body.path("rows").get(0).path("cpu").asDouble() > 0.3, AWAIT);
        assertEquals("[\"name\",\"cpu\",\"mem_limit\",\"processes\"]", rows.path("columns").toString());
        assertEquals(SLEEPER, rows.path("rows").get(1).path("name").asText());
        assertTrue(rows.path("rows").get(1).path("cpu").asDouble() < 0.1, rows.toString());
        assertEquals(268435456L, rows.path("rows").get(0).path("mem_limit").asLong(), rows.toString());
        assertTrue(rows.path("rows").get(1).path("mem_limit").isNull(), rows.toString());
        assertTrue(rows.path("at").isTextual() && rows.path("maxAgeSeconds").asLong() >= 0, rows.toString());
        Http.Response answer = http.get(rowsQuery);
        String cacheControl = answer.raw().headers().firstValue("Cache-Control").orElse("");
        assertTrue(cacheControl.matches("max-age=[01]"), "sampled every second: " + cacheControl);

        // The same as CSV: a header, then one line per row.
        Http.Response csv = http.get("/api/v1/monitor/slivers?format=csv&select=name,cpu,state&where="
                + q("name = " + BURNER + " and state = RUNNING"));
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        String[] lines = csv.body().split("\r\n");
        assertEquals("name,cpu,state", lines[0]);
        assertEquals(2, lines.length, csv.body());
        String[] fields = lines[1].split(",");
        assertEquals(BURNER, fields[0]);
        assertTrue(Double.parseDouble(fields[1]) > 0.3, lines[1]);
        assertEquals("RUNNING", fields[2]);

        // A bad query is a 400 that names the term.
        Http.Response bad = http.get("/api/v1/monitor/slivers?where=" + q("cpu > 0.3 and cpux > 1"));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.contentType().startsWith("application/problem+json"), bad.contentType());
        assertEquals("where", bad.json().path("parameter").asText());
        assertEquals("cpux > 1", bad.json().path("term").asText());

        // History: points of the burner's CPU and the node's, each with min <= avg <= max.
        JsonNode history = http.awaitJson("/api/v1/monitor/history?scope=sliver&subject=" + BURNER + "&metric=cpu",
                body -> body.path("points").size() > 0, AWAIT);
        for (JsonNode point : history.path("points")) {
            assertOrdered(point);
        }
        JsonNode nodeHistory = http.awaitJson("/api/v1/monitor/history?metric=cpu_busy&resolution=5m",
                body -> body.path("points").size() > 0 && body.path("points").get(0).path("samples").asInt() >= 2, AWAIT);
        nodeHistory.path("points").forEach(MonitorIT::assertOrdered);
        assertEquals(404, http.get("/api/v1/monitor/history?scope=sliver&subject=nobody&metric=cpu").status());

        // The node's figures against the kernel's.
        JsonNode figures = http.get("/api/v1/monitor/node").json();
        Map<String, Long> meminfo = meminfo();
        assertEquals(meminfo.get("MemTotal"), figures.path("memTotalBytes").asLong(), figures.toString());
        long available = figures.path("memAvailableBytes").asLong();
        assertTrue(Math.abs(available - meminfo.get("MemAvailable")) < meminfo.get("MemTotal") / 10,
                "MemAvailable " + meminfo.get("MemAvailable") + " vs " + available);
        assertTrue(figures.path("slivers").asInt() >= 2, figures.toString());
        assertTrue(figures.path("cpuBusy").asDouble() > 0, figures.toString());
        assertEquals("process", figures.path("backend").asText());

        // The monitor's own management slice is a row too.
        JsonNode slices = http.get("/api/v1/monitor/slices?where=" + q("name = mgmt_monitor")).json();
        assertEquals(1, slices.path("rows").size(), slices.toString());
        assertEquals("dev.sliceplane.monitor", slices.path("rows").get(0).path("bundle").asText());
    }

    private static void assertOrdered(JsonNode point) {
        assertTrue(point.path("min").asDouble() <= point.path("avg").asDouble()
                && point.path("avg").asDouble() <= point.path("max").asDouble()
                && point.path("samples").asInt() >= 1, point.toString());
    }

    private static Map<String, Long> meminfo() throws Exception {
        Map<String, Long> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] parts = line.split(":\\s*");
            values.put(parts[0], Long.parseLong(parts[1].split(" ")[0]) * 1024);
        }
        return values;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
