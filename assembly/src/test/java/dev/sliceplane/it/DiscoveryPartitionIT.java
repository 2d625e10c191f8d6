package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on JGroups through a network partition between processes: an authority and three
 * joined nodes, each in its own Linux network namespace with its own address ({@link NetworkLab}),
 * form one group; the network between {authority, node-a} and {node-b, node-c} is cut (blackhole
 * routes both ways, processes still running) and each side's view shrinks to its own side by
 * failure detection; the cut heals and MERGE3 merges the two groups, so every view holds all four
 * again. Needs root for the namespaces (skipped otherwise). Prints the times it measured.
 */
class DiscoveryPartitionIT {

    static final String SITE = "princeton";
    static final List<String> SIDE_A = List.of("node-a.princeton.edu");
    static final List<String> SIDE_B = List.of("node-b.princeton.edu", "node-c.princeton.edu");
    /** The JGroups port of every process: each namespace has its own ports. */
    private static final int PORT = 17800;
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    /** FD_ALL3's 6 s without heartbeats, VERIFY_SUSPECT2's 1.5 s check, a new view; on a loaded machine. */
    private static final Duration SPLIT_WITHIN = Duration.ofSeconds(40);
    /** MERGE3 checks every 2–6 s; TCP resumes what it held back over the cut; then a merge view and adverts. */
    private static final Duration MERGE_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsNetworkNamespaces() {
        NetworkLab.assumeAvailable();
    }

    @Test
    void aPartitionSplitsTheViewsAndTheyMergeWhenItHeals() throws Exception {
        Map<String, String> labHost = new LinkedHashMap<>();
        labHost.put(Cluster.AUTHORITY, "authority");
        SIDE_A.forEach(host -> labHost.put(host, "a" + SIDE_A.indexOf(host)));
        SIDE_B.forEach(host -> labHost.put(host, "b" + SIDE_B.indexOf(host)));
        String group = "disc-part-" + UUID.randomUUID().toString().substring(0, 8);

        try (NetworkLab lab = NetworkLab.create()) {
            for (String host : labHost.values()) {
                lab.add(host);
            }
            String seeds = labHost.values().stream().map(host -> lab.host(host).address() + "[" + PORT + "]")
                    .collect(Collectors.joining(","));
            Cluster.Placement inItsNamespace = (name, process) -> {
                NetworkLab.Host host = lab.host(labHost.get(name));
                DiscoveryIT.writeDiscoveryConfig(process, group, seeds, "bindAddress = " + host.address(),
                        "bindPort = " + PORT, "advertisedUrl = http://" + host.address() + ":" + process.port());
                return process.inNetworkNamespace(host.namespace(), host.address());
            };

            try (Cluster cluster = Cluster.start(tmp, SITE, inItsNamespace)) {
                String authorityHost = cluster.admin().awaitJson("/api/v1/discovery/self",
                        self -> !self.path("hostname").asText().isEmpty(), CONVERGE).path("hostname").asText();
                List<String> joined = new ArrayList<>(SIDE_A);
                joined.addAll(SIDE_B);
                cluster.joinAll(SITE, joined);
                long allUp = System.nanoTime();

                Map<String, NodeProcess> byHost = new LinkedHashMap<>();
                byHost.put(authorityHost, cluster.authority());
                joined.forEach(host -> byHost.put(host, cluster.node(host)));
                Set<String> all = new TreeSet<>(byHost.keySet());
                DiscoveryViews views = DiscoveryIT.views(cluster, byHost, all);
                DiscoveryViews.Reached converged = views.awaitAlive(all, allUp, CONVERGE);
                System.out.println("DiscoveryPartitionIT: four processes in four namespaces, every view held all four " + converged);
                for (NodeProcess node : byHost.values()) {
                    DiscoveryIT.awaitInGroup(node, group, all.size());
                }
                for (JsonNode row : views.rows(authorityHost)) {
                    NodeProcess node = byHost.get(row.path("hostname").asText());
                    assertEquals("http://" + node.address() + ":" + node.port(), row.path("url").asText(),
                            "each node advertises the URL it is reached at in its namespace: " + row);
                }

                Set<String> sideA = new TreeSet<>(SIDE_A);
                sideA.add(authorityHost);
                Set<String> sideB = new TreeSet<>(SIDE_B);
                Map<String, Set<String>> split = new LinkedHashMap<>();
                all.forEach(host -> split.put(host, sideA.contains(host) ? sideA : sideB));
                long cut = System.nanoTime();
                List<String> labSideA = new ArrayList<>(List.of(labHost.get(Cluster.AUTHORITY)));
                SIDE_A.forEach(host -> labSideA.add(labHost.get(host)));
                lab.cut(labSideA, SIDE_B.stream().map(labHost::get).toList());
                DiscoveryViews.Reached parted = views.awaitAlive(split, cut, SPLIT_WITHIN);
                System.out.println("DiscoveryPartitionIT: cut between " + sideA + " and " + sideB
                        + "; each view shrank to its side " + parted);
                assertTrue(parted.slowest().compareTo(SPLIT_WITHIN) < 0, parted.toString());

                long healed = System.nanoTime();
                lab.heal();
                DiscoveryViews.Reached merged = views.awaitAlive(all, healed, MERGE_WITHIN);
                System.out.println("DiscoveryPartitionIT: healed; the views merged " + merged);
                assertTrue(merged.slowest().compareTo(MERGE_WITHIN) < 0, merged.toString());
                for (NodeProcess node : byHost.values()) {
                    DiscoveryIT.awaitInGroup(node, group, all.size());
                }
            }
        }
    }
}
