package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on JGroups across separate processes: an authority and two joined nodes, each with
 * its node credential, form one group on loopback; every node's view holds all three, verified;
 * a node killed outright is gone from the others' views in bounded time.
 */
class DiscoveryIT {

    /** This IT's JGroups ports: transports from here, failure detection 50 above. */
    private static final int BASE_PORT = 18510;
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    /** FD_SOCK2 sees the dead process's sockets close; VERIFY_SUSPECT2 checks for 1.5 s; then a new view. */
    private static final Duration DEAD_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void nodesConvergeOnOneViewAndAKilledNodeLeavesIt() throws Exception {
        try (Cluster cluster = Cluster.start(tmp, "princeton")) {
            cluster.join("node-b.princeton.edu", "princeton");
            cluster.join("node-c.princeton.edu", "princeton");
            Map<NodeProcess, Http> nodes = new LinkedHashMap<>();
            nodes.put(cluster.authority(), cluster.admin());
            for (NodeProcess node : cluster.nodes()) {
                nodes.put(node, cluster.adminAt(node));
            }
            // Each node on its own port of this test's range, one group name for this run only.
            String group = "disc-it-" + UUID.randomUUID().toString().substring(0, 8);
            String seeds = IntStream.range(0, nodes.size()).mapToObj(i -> "127.0.0.1[" + (BASE_PORT + i) + "]")
                    .collect(Collectors.joining(","));
            int index = 0;
            for (Map.Entry<NodeProcess, Http> node : nodes.entrySet()) {
                Files.writeString(node.getKey().dataDir().resolve("etc/dev.sliceplane.discovery.jgroups.cfg"),
                        String.join("\n", "cluster = " + group, "bindPort = " + (BASE_PORT + index++), "portRange = 0",
                                "initialHosts = " + seeds, "advertSeconds = 2", "failureTimeout = PT6S",
                                "mergeInterval = PT2S", ""));
                assertEquals(201, node.getValue().post("/api/v1/bundles", "application/java-archive",
                        TestBundles.discoveryProbe()).status());
            }

            List<String> selves = new ArrayList<>();
            for (Http http : nodes.values()) {
                selves.add(http.awaitJson("/api/v1/it/discovery", view -> !view.path("self").asText().isEmpty(), CONVERGE)
                        .path("self").asText());
            }
            TreeSet<String> all = new TreeSet<>(selves);
            assertEquals(3, all.size(), "three distinct host names: " + selves);
            for (Http http : nodes.values()) {
                JsonNode view = http.awaitJson("/api/v1/it/discovery", v -> hostnames(v, "ALIVE").equals(all), CONVERGE);
                assertEquals("jgroups", view.path("mechanism").asText());
                for (JsonNode node : view.path("nodes")) {
                    assertTrue(List.of("UP", "WARN", "DOWN").contains(node.path("health").asText()),
                            "each advert carries its node's health from the health checks: " + node);
                    assertTrue(node.path("url").asText().startsWith("http://127.0.0.1:"), node.toString());
                }
            }

            NodeProcess victim = cluster.node("node-c.princeton.edu");
            Http survivorB = cluster.adminAt(cluster.node("node-b.princeton.edu"));
            long killedAt = System.nanoTime();
            victim.kill();
            TreeSet<String> rest = new TreeSet<>(all);
            rest.remove("node-c.princeton.edu");
            cluster.admin().awaitJson("/api/v1/it/discovery", v -> hostnames(v, null).equals(rest), DEAD_WITHIN);
            survivorB.awaitJson("/api/v1/it/discovery", v -> hostnames(v, null).equals(rest), DEAD_WITHIN);
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.println("DiscoveryIT: a killed node left both survivors' views after " + took.toMillis() + " ms");
            assertTrue(took.compareTo(DEAD_WITHIN) < 0, took.toString());
        }
    }

    /** Host names in the view; with {@code liveness}, only those in that state. */
    private static TreeSet<String> hostnames(JsonNode view, String liveness) {
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode node : view.path("nodes")) {
            if (liveness == null || liveness.equals(node.path("liveness").asText())) {
                names.add(node.path("hostname").asText());
            }
        }
        return names;
    }
}
