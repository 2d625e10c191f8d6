package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An authority and two joined nodes, each its own process on loopback, with the registry
 * discovery (swapped in on every node; JGroups is the default, tested by DiscoveryIT): every node
 * lists all three through {@code /api/v1/discovery/nodes} in the query language, a bad query is a
 * 400 naming its term, Prometheus service discovery lists the three targets and a real Prometheus
 * (Debian's) discovers and scrapes them, and the cluster monitor tables merge all three nodes.
 */
class DiscoveryHttpIT {

    /** How long to wait for a node to show what a step should have caused. */
    private static final Duration AWAIT = Duration.ofSeconds(90);

    static final String SITE = "princeton";
    static final List<String> JOINED = List.of("disc1.princeton.edu", "disc2.princeton.edu");

    @TempDir
    Path tmp;

    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Set<String> texts(JsonNode rows, String field) {
        Set<String> values = new TreeSet<>();
        rows.forEach(row -> values.add(row.path(field).asText()));
        return values;
    }


    @Test
    void everyNodeDiscoversTheClusterAndPrometheusScrapesIt() throws Exception {
        cluster = Cluster.start(tmp, SITE);
        for (String host : JOINED) {
            cluster.join(host, SITE);
        }
        for (NodeProcess node : List.of(cluster.authority(), cluster.node(JOINED.get(0)), cluster.node(JOINED.get(1)))) {
            Http admin = cluster.adminAt(node);
            Http.Response swap = admin.postJson("/api/v1/services/discovery/swap",
                    "{\"implementation\":\"dev.sliceplane.discovery.registry\"}");
            assertEquals(200, swap.status(), swap.body());
            admin.awaitJson("/api/v1/discovery", d -> d.path("mechanism").asText().equals("registry"), AWAIT);
        }
        Http authority = cluster.admin();
        String authorityHost = authority.get("/api/v1/discovery/self").json().path("hostname").asText();
        Set<String> all = new HashSet<>(JOINED);
        all.add(authorityHost);

        // Every node comes to see all three alive (they report to the agent, then get probed).
        String aliveQuery = "/api/v1/discovery/nodes?where=" + q("liveness=alive") + "&sort=hostname";
        for (NodeProcess node : List.of(cluster.authority(), cluster.node(JOINED.get(0)), cluster.node(JOINED.get(1)))) {
            JsonNode view = cluster.adminAt(node).awaitJson(aliveQuery, v -> texts(v.path("rows"), "hostname").equals(all), AWAIT);
            assertEquals("registry", view.path("mechanism").asText(), view.toString());
        }

        // The query, in the shared language: each node's figures came with its advertisement.
        JsonNode roomy = authority.awaitJson("/api/v1/discovery/nodes?where="
                + q("cpu_free>0 and mem_free>1MiB and site!=nowhere") + "&sort=-cpu_free&limit=10",
                v -> texts(v.path("rows"), "hostname").equals(all), AWAIT);
        assertEquals(3, roomy.path("rows").size(), roomy.toString());

        Http.Response bad = authority.get("/api/v1/discovery/nodes?where=" + q("cpu_free>0.5 and cpux>1"));
        assertEquals(400, bad.status(), bad.body());
        assertEquals("where", bad.json().path("parameter").asText(), bad.body());
        assertTrue(bad.json().path("term").asText().contains("cpux"), bad.body());

        // Prometheus service discovery, open to anonymous callers like /metrics.
        Http.Response sd = authority.anonymous().get("/api/v1/discovery/prometheus");
        assertEquals(200, sd.status(), sd.body());
        Set<String> targets = new TreeSet<>();
        Set<String> hostnames = new TreeSet<>();
        for (JsonNode group : sd.json()) {
            group.path("targets").forEach(t -> targets.add(t.asText()));
            hostnames.add(group.path("labels").path("hostname").asText());
            assertEquals("/metrics", group.path("labels").path("__metrics_path__").asText(), sd.body());
        }
        assertEquals(all, hostnames, sd.body());
        assertEquals(3, targets.size(), sd.body());

        // The cluster's slivers table asks all three monitors (no slivers yet: every node answers, none is missing).
        // (A node whose monitor has not sampled yet answers 503 for a moment: wait for every first sample.)
        JsonNode slivers = authority.awaitJson("/api/v1/monitor/cluster/slivers?timeoutMillis=5000",
                s -> answered(s).equals(all), AWAIT);
        assertEquals(0, slivers.path("missing").size(), slivers.toString());
        JsonNode nodes = authority.get("/api/v1/monitor/cluster/nodes?timeoutMillis=5000&sort=hostname").json();
        assertEquals(all, texts(nodes.path("rows"), "node"), nodes.toString());

        PrometheusServer.assumeInstalled();
        try (PrometheusServer prometheus = PrometheusServer.discovering(tmp.resolve("prometheus"),
                authority.base().resolve("/api/v1/discovery/prometheus").toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Set<String> scraped = Set.of();
            while (System.nanoTime() < deadline) {
                scraped = new TreeSet<>();
                for (JsonNode series : prometheus.query("up == 1")) {
                    scraped.add(series.path("metric").path("hostname").asText());
                }
                if (scraped.equals(all)) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(all, scraped, "Prometheus scraped every node it discovered\n" + prometheus.targets()
                    + "\n" + prometheus.log());

            // A joined node dies: suspected at once, missing from the cluster tables, dropped from
            // Prometheus's targets, and out of the view after its missed probes.
            String dead = JOINED.get(1);
            cluster.node(dead).kill();
            String deadQuery = "/api/v1/discovery/nodes?where=" + q("hostname=" + dead);
            authority.awaitJson(deadQuery, v -> texts(v.path("rows"), "liveness").equals(Set.of("suspect")), AWAIT);
            JsonNode withoutIt = authority.get("/api/v1/monitor/cluster/slivers?timeoutMillis=3000").json();
            assertEquals(Set.of(dead), texts(withoutIt.path("missing"), "node"), withoutIt.toString());
            authority.anonymous().awaitJson("/api/v1/discovery/prometheus", sdNow -> sdNow.size() == 2, AWAIT);
            long targetsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (prometheus.targets().size() != 2 && System.nanoTime() < targetsDeadline) {
                Thread.sleep(500);
            }
            assertEquals(2, prometheus.targets().size(), prometheus.targets().toString());
            authority.awaitJson(deadQuery, v -> v.path("rows").isEmpty(), AWAIT);
        }
    }

    @Test
    void swappingTheImplementationUnderLoadFailsNoCall() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("swap")).start()) {
            Http http = node.http();
            http.awaitJson("/api/v1/discovery", d -> d.path("mechanism").asText().equals("jgroups"), AWAIT);
            Path operatorsFile = node.dataDir().resolve("etc/dev.sliceplane.discovery.jgroups.cfg");
            String operatorsSettings = Files.readString(operatorsFile);
            Http.Response installed = http.post("/api/v1/bundles", "application/java-archive", TestBundles.fixedDiscovery());
            assertEquals(201, installed.status(), installed.body());

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger calls = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            Thread[] load = new Thread[2];
            for (int i = 0; i < load.length; i++) {
                String path = i == 0 ? "/api/v1/discovery/nodes?select=hostname" : "/api/v1/discovery";
                load[i] = new Thread(() -> {
                    while (running.get()) {
                        try {
                            Http.Response r = http.get(path);
                            calls.incrementAndGet();
                            if (r.status() != 200) {
                                failures.add(path + " " + r.status() + " " + r.body());
                            } else if (r.json().has("mechanism")) {
                                seen.add(r.json().path("mechanism").asText());
                            }
                        } catch (Exception e) {
                            failures.add(path + " " + e);
                        }
                    }
                });
                load[i].start();
            }
            try {
                for (int round = 0; round < 2; round++) {
                    for (String to : List.of("it.discovery.fixed", "dev.sliceplane.discovery.registry",
                            "dev.sliceplane.discovery.jgroups")) {
                        Http.Response swap = http.postJson("/api/v1/services/discovery/swap",
                                "{\"implementation\":\"" + to + "\"}");
                        assertEquals(200, swap.status(), swap.body());
                        // The swap manager gives up waiting for consumers to rebind after 10 s; a swap
                        // that takes that long met a consumer that never rebinds (as the JGroups
                        // bundle's own health check once was, bound to its service by reference).
                        assertTrue(swap.json().path("totalMicros").asLong() < 9_000_000, swap.body());
                        String mechanism = to.substring(to.lastIndexOf('.') + 1);
                        http.awaitJson("/api/v1/discovery", d -> d.path("mechanism").asText().equals(mechanism), AWAIT);
                    }
                }
            } finally {
                running.set(false);
                for (Thread t : load) {
                    t.join(30_000);
                }
            }
            assertEquals(List.of(), failures, "failed calls during swaps");
            assertEquals(Set.of("jgroups", "fixed", "registry"), seen, "every implementation answered in turn");
            assertTrue(calls.get() > 20, "the load ran: " + calls.get() + " calls");
            assertEquals(operatorsSettings, Files.readString(operatorsFile), "swaps leave the operator's file as written");
        }
    }

    private static Set<String> answered(JsonNode answer) {
        Set<String> names = new TreeSet<>();
        answer.path("answered").forEach(n -> names.add(n.asText()));
        return names;
    }
}
