package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The VMM in the assembled node: the backend is auto-detected, slivers made through the
 * {@code Vmm} service show at {@code /api/v1/vmm}, status hooks and Event Admin handlers see
 * samples and events, and a sliver's program outlives a node restart.
 */
@EnabledOnOs(OS.LINUX)
class VmmIT {

    /** How long to wait for a node to show what a step should have caused. */
    private static final Duration AWAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final String cgroupRoot = "sliceplane-it-" + UUID.randomUUID().toString().substring(0, 8);
    private NodeProcess node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        CgroupRoots.removeAll(cgroupRoot);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "process"})
    void sliversOutliveARestartAndEveryEventReachesHooksAndEventAdmin(String configured) throws Exception {
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"), "backend = " + configured
                + "\nsampleSeconds = 0.2\nlinux.cgroupRoot = " + cgroupRoot + "\n");
        node = new NodeProcess(data).start();
        Http http = node.http();

        // The first sample comes one sampling period after the VMM starts, which can be after the
        // node first answers (more so on a loaded machine): wait for it rather than race it.
        JsonNode vmm = http.awaitJson("/api/v1/vmm", body -> body.has("backend") && body.path("node").has("memTotalBytes"), AWAIT);
        String backend = vmm.path("backend").path("name").asText();
        assertEquals(configured.equals("auto") ? autoDetected() : configured, backend, "backend: " + vmm);
        assertFalse(vmm.path("simulated").asBoolean());
        assertTrue(vmm.path("capacity").path("cores").asInt() >= 1);
        assertTrue(vmm.path("node").path("memTotalBytes").asLong() > 0, "node status is sampled: " + vmm);

        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        http.awaitJson("/api/v1/it/vmm", body -> body.path("samples").asLong() > 0, AWAIT);

        assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=it_sleeper", "{}").status());
        JsonNode launched = http.postJson("/api/v1/it/vmm/launch?name=it_sleeper&cmd=sleep&cmd=600", "{}").json();
        long pid = launched.path("pid").asLong();
        assertTrue(ProcessHandle.of(pid).isPresent(), "the program runs: " + launched);

        JsonNode sliver = http.awaitJson("/api/v1/vmm/slivers/it_sleeper",
                body -> "RUNNING".equals(body.path("usage").path("state").asText()), AWAIT);
        assertTrue(sliver.path("usage").path("processes").asInt() >= 1, sliver.toString());
        http.awaitJson("/api/v1/it/vmm", body -> body.path("hookEvents").toString().contains("CREATED:it_sleeper")
                && body.path("adminEvents").toString().contains("dev/sliceplane/vmm/CREATED:it_sleeper"), AWAIT);

        node.stop();
        assertTrue(ProcessHandle.of(pid).isPresent(), "stopping the node leaves the sliver's program running");
        try (var backends = Files.list(data.resolve("vmm"))) {
            // As its backend bundles stop one by one, the VMM must not open the next one.
            assertEquals(List.of(backend), backends.map(p -> p.getFileName().toString()).toList(),
                    "stopping opened no other backend");
        }
        node = new NodeProcess(data, node.port()).start();
        http = node.http();

        JsonNode again = http.awaitJson("/api/v1/vmm/slivers/it_sleeper",
                body -> "RUNNING".equals(body.path("usage").path("state").asText()), AWAIT);
        assertEquals(pid, again.path("programs").get(0).path("pid").asLong(), "re-attached to the same program");

        // The probe bundle was installed at run time; the framework cache keeps it across restarts.
        http.awaitJson("/api/v1/it/vmm", body -> body.path("samples").asLong() > 0, AWAIT);
        assertEquals(200, http.postJson("/api/v1/it/vmm/kill?name=it_sleeper", "{}").status());
        JsonNode seen = http.awaitJson("/api/v1/it/vmm",
                body -> body.path("adminEvents").toString().contains("PROGRAM_EXITED:it_sleeper:137")
                        && body.path("hookEvents").toString().contains("PROGRAM_EXITED:it_sleeper:137"), AWAIT);
        // Its parent was killed too, so init reaps it; until then it is a zombie.
        awaitGone(pid, seen.toString());

        assertEquals(200, http.postJson("/api/v1/it/vmm/destroy?name=it_sleeper", "{}").status());
        assertEquals(404, http.get("/api/v1/vmm/slivers/it_sleeper").status());
        http.awaitJson("/api/v1/it/vmm", body -> body.path("hookEvents").toString().contains("DESTROYED:it_sleeper"), AWAIT);
        if (backend.equals("linux")) {
            try (var cgroups = Files.list(Path.of("/sys/fs/cgroup"))) {
                assertTrue(cgroups.map(h -> h.resolve(cgroupRoot).resolve("it_sleeper")).noneMatch(Files::exists),
                        "destroy leaves no cgroup");
            }
        }
    }

    @Test
    void aSimulatedNodeSaysSoEverywhere() throws Exception {
        Path data = tmp.resolve("simulated");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"), "backend = simulated\nsimulated.seed = 42\n"
                + "sampleSeconds = 0.2\n");
        node = new NodeProcess(data).start();
        Http http = node.http();

        JsonNode vmm = http.awaitJson("/api/v1/vmm", body -> body.path("node").path("simulated").asBoolean(), AWAIT);
        assertEquals("simulated", vmm.path("backend").path("name").asText());
        assertTrue(vmm.path("simulated").asBoolean());
        assertTrue(vmm.path("backend").path("detail").asText().startsWith("SIMULATION"), vmm.toString());
        JsonNode health = http.get("/api/v1/health").json();
        assertTrue(health.toString().contains("SIMULATION simulated"), "the vmm check labels it: " + health);
    }

    @Test
    void badRequestsAreClearProblems() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        Http http = node.http();
        // Seen once in CI: right after the first 200 from /health a route answered from the
        // fallback servlet; wait for the VMM route itself (kept in the issue notes to chase).
        http.awaitJson("/api/v1/vmm", body -> body.has("backend"), AWAIT);
        Http.Response unknown = http.get("/api/v1/vmm/slivers/nobody");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("no sliver named 'nobody'"), unknown.body());
        assertEquals(404, http.get("/api/v1/vmm/elsewhere").status());
        assertEquals(405, http.postJson("/api/v1/vmm/slivers", "{}").status());
    }

    private static void awaitGone(long pid, String context) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " still there after kill: " + context);
            Thread.sleep(20);
        }
    }

    /** linux where this test runs as root with writable cgroups, as in CI; else process. */
    private static String autoDetected() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root && Files.isWritable(Path.of("/sys/fs/cgroup/memory")) || root
                && Files.isWritable(Path.of("/sys/fs/cgroup/cgroup.subtree_control")) ? "linux" : "process";
    }

}
