package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Benchmark, not run by default ({@code -Dmonitor.bench=true}; {@code bench/monitor-bench.sh node}
 * runs it): the monitor's CPU on a real node sampling every second, with {@code monitor.bench.slivers}
 * (default 1,000) slivers on the simulated backend, each running a program. The figure is the CPU
 * the node's platform accounts to the monitor's management slice {@code mgmt_monitor} (the monitor
 * applies every sample on that slice's executor) over {@code monitor.bench.seconds} (default 60),
 * less the CPU of the few HTTP requests this test makes meanwhile.
 */
@EnabledOnOs(OS.LINUX)
@EnabledIfSystemProperty(named = "monitor.bench", matches = "true")
class MonitorOverheadIT {

    @TempDir
    Path tmp;

    private NodeProcess node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void monitorCpuWithManySliversAtOneHertz() throws Exception {
        int slivers = Integer.getInteger("monitor.bench.slivers", 1000);
        int seconds = Integer.getInteger("monitor.bench.seconds", 60);
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"),
                "backend = simulated\nsimulated.seed = 42\nsampleSeconds = 1\n");
        node = new NodeProcess(data);
        node.start();
        Http http = node.http();
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        await(http, "/api/v1/it/vmm", 200);

        long createStart = System.nanoTime();
        for (int i = 0; i < slivers; i++) {
            String name = String.format("site%03d_bench%04d", i / 10, i);
            assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=" + name + "&memory=268435456", "{}").status());
            assertEquals(200, http.postJson("/api/v1/it/vmm/launch?name=" + name + "&cmd=sleep&cmd=3600", "{}")
                    .status());
        }
        System.out.printf("created and launched %d simulated slivers in %.1f s%n", slivers,
                (System.nanoTime() - createStart) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.get("/api/v1/monitor/node").json().path("slivers").asInt() < slivers) {
            assertTrue(System.nanoTime() < deadline, "the monitor never saw all slivers");
            Thread.sleep(500);
        }
        Thread.sleep(10_000); // a few samples with every sliver's limits cached and the JIT warm

        JsonNode before = slice(http);
        String firstAt = http.get("/api/v1/monitor/node").json().path("at").asText();
        double processBefore = node.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        JsonNode after = slice(http);
        JsonNode nodeFigures = http.get("/api/v1/monitor/node").json();
        double processAfter = node.cpuSeconds();
        double elapsed = (System.nanoTime() - start) / 1e9;

        double sliceCpu = (after.path("usage").path("cpuNanos").asLong() - before.path("usage").path("cpuNanos").asLong()
                - (after.path("usage").path("httpCpuNanos").asLong() - before.path("usage").path("httpCpuNanos").asLong()))
                / 1e9;
        double samples = (java.time.Instant.parse(nodeFigures.path("at").asText()).toEpochMilli()
                - java.time.Instant.parse(firstAt).toEpochMilli()) / 1000.0;
        System.out.printf("mgmt_monitor: %.3f s of CPU in %.1f s = %.3f %% of a core (%d slivers, about %.0f samples,"
                + " %.2f ms a sample); whole node process %.1f %% of a core%n", sliceCpu, elapsed,
                sliceCpu / elapsed * 100, slivers, samples, sliceCpu / Math.max(1, samples) * 1000,
                (processAfter - processBefore) / elapsed * 100);
        assertEquals(slivers, nodeFigures.path("slivers").asInt());
        // A sanity bound for a loaded machine, not the goal (under 1 %): the figure above is what to read.
        assertTrue(sliceCpu / elapsed < 0.05, "the monitor used " + sliceCpu / elapsed + " cores");
    }

    private static JsonNode slice(Http http) throws Exception {
        Http.Response response = http.get("/api/v1/slices/mgmt_monitor");
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static void await(Http http, String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (http.get(path).status() != status) {
            assertTrue(System.nanoTime() < deadline, path + " never answered " + status);
            Thread.sleep(100);
        }
    }
}
