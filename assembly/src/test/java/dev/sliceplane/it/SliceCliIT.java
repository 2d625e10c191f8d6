package dev.sliceplane.it;

import static dev.sliceplane.it.AcquisitionIT.DENIED;
import static dev.sliceplane.it.AcquisitionIT.HOSTS;
import static dev.sliceplane.it.AcquisitionIT.SITE;
import static dev.sliceplane.it.AcquisitionIT.SLICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service manager on the command line end to end: a PI runs {@code ./sliceplane slice
 * deploy|status|renew|resize|release} against an authority and three nodes (each its own process,
 * as in {@link AcquisitionIT}). Written to the contract; it needs the agent, broker and node
 * manager bundles in the distribution.
 */
class SliceCliIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] SMALL = {"--cpu", "0.2", "--memory", "64MiB", "--processes", "32", "--disk", "0"};

    @TempDir
    Path tmp;

    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPiDeploysRenewsResizesAndReleasesASliceFromTheCommandLine() throws Exception {
        cluster = Cluster.start(tmp, SITE);
        String token = AcquisitionIT.threeNodesForThePi(cluster, tmp);
        CliProcess cli = new CliProcess(tmp.resolve("pi-home"), "http://127.0.0.1:" + cluster.authority().port())
                .with("SLICEPLANE_TOKEN", token);

        CliProcess.Result deployed = cli.run(args("slice", "deploy", SLICE, "--count", "3", "--where", "site = " + SITE, "--duration", "1h", "--json",
                "--", "sh", "-c", "echo started; sleep 600"));
        assertEquals(0, deployed.exitCode(), deployed.toString());
        JsonNode report = JSON.readTree(deployed.out());
        Set<String> running = new HashSet<>();
        for (JsonNode node : report.path("nodes")) {
            assertEquals("running", node.path("state").asText(), node.toString());
            assertTrue(node.path("programs").get(0).path("pid").asLong() > 0, node.toString());
            running.add(node.path("node").asText());
        }
        assertEquals(Set.copyOf(HOSTS), running);

        CliProcess.Result status = cli.run("slice", "status", SLICE);
        assertEquals(0, status.exitCode(), status.toString());
        assertEquals(4, status.out().lines().count(), "a header and a row per node: " + status);
        HOSTS.forEach(host -> assertTrue(status.out().contains("\n" + host + " "), status.toString()));

        Instant before = Instant.parse(report.path("nodes").get(0).path("lease").path("end").asText());
        CliProcess.Result renewed = cli.run("slice", "renew", SLICE, "--duration", "2h", "--json");
        assertEquals(0, renewed.exitCode(), renewed.toString());
        for (JsonNode node : JSON.readTree(renewed.out()).path("nodes")) {
            assertTrue(Instant.parse(node.path("lease").path("end").asText()).isAfter(before), node.toString());
        }

        CliProcess.Result resized = cli.run("slice", "resize", SLICE, "--memory", "128MiB", "--json");
        assertEquals(0, resized.exitCode(), resized.toString());
        for (JsonNode node : JSON.readTree(resized.out()).path("nodes")) {
            assertEquals(134217728L, node.path("lease").path("resources").path("memory").asLong(), node.toString());
        }

        // The third node's owner denies a slice: with --all-or-nothing the two leases granted are released.
        CliProcess.Result denied = cli.run(args("slice", "deploy", DENIED, "--count", "3", "--where", "site = " + SITE, "--all-or-nothing", "--",
                "true"));
        assertEquals(1, denied.exitCode(), denied.toString());
        assertTrue(denied.out().contains("policy on " + HOSTS.get(2)), denied.toString());
        assertTrue(denied.err().contains("all-or-nothing: released the leases granted"), denied.toString());

        CliProcess.Result released = cli.run("slice", "release", SLICE);
        assertEquals(0, released.exitCode(), released.toString());
        CliProcess.Result after = cli.run("slice", "status", SLICE, "--json");
        for (JsonNode node : JSON.readTree(after.out()).path("nodes")) {
            assertEquals("no_lease", node.path("state").asText(), after.toString());
        }
    }

    /** {@code words} with the small sliver's amounts put before the {@code --}, if there is one. */
    private static String[] args(String... words) {
        List<String> all = new ArrayList<>(List.of(words));
        int end = all.indexOf("--");
        all.addAll(end < 0 ? all.size() : end, List.of(SMALL));
        return all.toArray(String[]::new);
    }
}
