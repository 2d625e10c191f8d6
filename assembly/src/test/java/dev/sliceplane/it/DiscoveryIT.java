package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on JGroups (the default) across five separate processes on loopback: an authority and
 * four joined nodes, each with its node credential, form one group; every node's view comes to
 * hold all five, ALIVE, from adverts it verified; a node killed outright (SIGKILL) leaves every
 * survivor's view in bounded time; started again on its data directory it rejoins and every view
 * holds five again. Read through the product's own {@code /api/v1/discovery/nodes}. Prints the
 * times it measured (docs/design/discovery.md keeps them).
 */
class DiscoveryIT {

    static final String SITE = "princeton";
    static final List<String> JOINED = List.of("node-b.princeton.edu", "node-c.princeton.edu",
            "node-d.princeton.edu", "node-e.princeton.edu");
    /** This IT's JGroups ports, one per process: transports from here, failure detection 50 above. */
    private static final int BASE_PORT = 17900;
    /** Five JVMs starting on a loaded two-core machine: generous, the times printed are what counts. */
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    /** FD_SOCK2 sees the dead process's sockets close; VERIFY_SUSPECT2 checks for 1.5 s; then a new view. */
    private static final Duration DEAD_WITHIN = Duration.ofSeconds(20);
    /** A restarted JVM boots, gets its credential again and joins: bounded by start-up, not by discovery. */
    private static final Duration REJOIN_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void fiveNodesConvergeAKilledNodeIsDeclaredDeadAndARestartedOneRejoins() throws Exception {
        List<String> names = new ArrayList<>(List.of(Cluster.AUTHORITY));
        names.addAll(JOINED);
        String group = "disc-it-" + UUID.randomUUID().toString().substring(0, 8);
        String seeds = IntStream.range(0, names.size()).mapToObj(i -> "127.0.0.1[" + (BASE_PORT + i) + "]")
                .collect(Collectors.joining(","));
        Cluster.Placement onItsOwnPort = (name, process) -> {
            writeDiscoveryConfig(process, group, seeds, "bindPort = " + (BASE_PORT + names.indexOf(name)));
            return process;
        };

        try (Cluster cluster = Cluster.start(tmp, SITE, onItsOwnPort)) {
            String authorityHost = cluster.admin().awaitJson("/api/v1/discovery/self",
                    self -> !self.path("hostname").asText().isEmpty(), CONVERGE).path("hostname").asText();
            long launched = System.nanoTime();
            cluster.joinAll(SITE, JOINED);
            long allUp = System.nanoTime();

            Map<String, NodeProcess> byHost = new LinkedHashMap<>();
            byHost.put(authorityHost, cluster.authority());
            JOINED.forEach(host -> byHost.put(host, cluster.node(host)));
            Set<String> all = new TreeSet<>(byHost.keySet());
            DiscoveryViews everyone = views(cluster, byHost, all);
            DiscoveryViews.Reached converged = everyone.awaitAlive(all, allUp, CONVERGE);
            System.out.printf("DiscoveryIT: four nodes started together in %d ms; every view held all five ALIVE %s%n",
                    Duration.ofNanos(allUp - launched).toMillis(), converged);
            for (String host : all) {
                for (JsonNode row : everyone.rows(host)) {
                    assertTrue(List.of("UP", "WARN", "DOWN").contains(row.path("health").asText()),
                            "each advert carries its node's health from the health checks: " + row);
                    int port = byHost.get(row.path("hostname").asText()).port();
                    assertEquals("http://127.0.0.1:" + port, row.path("url").asText(), "each node advertises its own URL: " + row);
                }
            }
            assertEquals("jgroups", cluster.admin().get("/api/v1/discovery").json().path("mechanism").asText());
            for (NodeProcess node : byHost.values()) {
                awaitInGroup(node, group, all.size());
            }

            String victim = JOINED.get(JOINED.size() - 1);
            Set<String> survivors = new TreeSet<>(all);
            survivors.remove(victim);
            long killed = System.nanoTime();
            cluster.node(victim).kill();
            DiscoveryViews.Reached dropped = views(cluster, byHost, survivors).awaitAlive(survivors, killed, DEAD_WITHIN);
            System.out.println("DiscoveryIT: SIGKILLed " + victim + " left every survivor's view " + dropped);
            assertTrue(dropped.slowest().compareTo(DEAD_WITHIN) < 0, dropped.toString());
            for (String survivor : survivors) {
                NodeProcess node = byHost.get(survivor);
                Http admin = node == cluster.authority() ? cluster.admin() : cluster.adminAt(node);
                JsonNode counters = admin.get("/api/v1/discovery").json().path("counters");
                assertTrue(counters.path("declaredDead").asLong() >= 1,
                        survivor + " declared the killed node dead (it said no goodbye): " + counters);
            }

            long restarted = System.nanoTime();
            byHost.put(victim, cluster.restart(victim));
            long restartedUp = System.nanoTime();
            DiscoveryViews.Reached rejoined = views(cluster, byHost, all).awaitAlive(all, restarted, REJOIN_WITHIN);
            System.out.printf("DiscoveryIT: %s restarted on its data directory in %d ms; every view held all five ALIVE %s%n",
                    victim, Duration.ofNanos(restartedUp - restarted).toMillis(), rejoined);
            for (NodeProcess node : byHost.values()) {
                awaitInGroup(node, group, all.size());
            }
        }
    }

    /**
     * The discovery settings of one process before its first start: this test's group, every
     * process as a seed, quick timers for a test, and {@code more} ({@code key = value} lines).
     */
    static void writeDiscoveryConfig(NodeProcess process, String group, String seeds, String... more) throws IOException {
        Path file = process.dataDir().resolve("etc/dev.sliceplane.discovery.jgroups.cfg");
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>(List.of("cluster = " + group, "portRange = 0", "initialHosts = " + seeds,
                "advertSeconds = 2", "failureTimeout = PT6S", "mergeInterval = PT2S"));
        lines.addAll(List.of(more));
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /**
     * Waits until {@code node}'s health check {@code discovery} (run every 5 s) says it is in
     * {@code group} with {@code members} members: the check found the node's discovery.
     */
    static void awaitInGroup(NodeProcess node, String group, int members) throws Exception {
        String expected = "in discovery group " + group + ": " + members + " members";
        node.anonymousHttp().awaitJson("/api/v1/health", health -> {
            for (JsonNode check : health.path("checks")) {
                if (check.path("name").asText().equals("discovery")) {
                    return check.path("message").asText().startsWith(expected);
                }
            }
            return false;
        }, Duration.ofSeconds(30));
    }

    /** A watcher over {@code hosts}, calling each as the authority's administrator. */
    static DiscoveryViews views(Cluster cluster, Map<String, NodeProcess> byHost, Set<String> hosts) {
        Map<String, Http> clients = new LinkedHashMap<>();
        for (String host : hosts) {
            NodeProcess node = byHost.get(host);
            clients.put(host, node == cluster.authority() ? cluster.admin() : cluster.adminAt(node));
        }
        return new DiscoveryViews(clients);
    }
}
