package dev.sliceplane.it;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An authority and nodes joined to it, each its own process on loopback with its own port and
 * data directory, set up the way an operator does it: the authority's administrator makes the
 * site and registers each node through the accounts API, gets it a bootstrap token, and the node
 * starts with {@code authorityUrl}, its host name and the token in its {@code etc/}. Each process
 * has its own cgroup root, so slivers of the same slice on several nodes of one machine do not meet.
 */
public final class Cluster implements AutoCloseable {

    static final String ACCOUNTS = "/api/v1/accounts";

    /**
     * Where each process of the cluster runs and what it finds in {@code etc/} besides what the
     * cluster writes, decided before its first start.
     */
    @FunctionalInterface
    public interface Placement {
        /** Every process on loopback in this test's network namespace, with the cluster's files only. */
        Placement LOOPBACK = (name, process) -> process;

        /**
         * Places {@code process} (not started yet) of {@code name}: {@value #AUTHORITY} or a joined
         * node's host name. May write more files into its data directory and answers the process to start.
         */
        NodeProcess place(String name, NodeProcess process) throws IOException;
    }

    /** The authority's name for {@link Placement}, and the name of its data directory. */
    public static final String AUTHORITY = "authority";

    private final Path directory;
    private final Placement placement;
    private final String cgroupPrefix = "sliceplane-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private NodeProcess authority;

    private Cluster(Path directory, Placement placement) {
        this.directory = directory;
        this.placement = placement;
    }

    /** Starts the authority (an all-in-one node) with the site {@code site}. */
    public static Cluster start(Path directory, String site) throws Exception {
        return start(directory, site, Placement.LOOPBACK);
    }

    /** Starts the authority with the site {@code site}; it and every node joined later are placed by {@code placement}. */
    public static Cluster start(Path directory, String site, Placement placement) throws Exception {
        Cluster cluster = new Cluster(directory, placement);
        Path data = directory.resolve(AUTHORITY);
        cluster.writeVmmConfig(data, AUTHORITY);
        cluster.authority = placement.place(AUTHORITY, new NodeProcess(data)).start();
        cluster.expect(201, "POST", ACCOUNTS + "/sites",
                "{\"loginBase\":\"" + site + "\",\"name\":\"" + site + "\",\"maxSlices\":100}");
        return cluster;
    }

    /** Registers {@code hostname} of {@code site} at the authority, boots it and starts it joined. */
    public NodeProcess join(String hostname, String site) throws Exception {
        NodeProcess node = prepareJoin(hostname, site).start();
        nodes.put(hostname, node);
        return node;
    }

    /**
     * Registers every one of {@code hostnames} of {@code site} and starts them all at once (each
     * process's start-up is mostly waiting, and together they take less than one after the other).
     * Fails when any does not start; those that did are stopped with the cluster.
     */
    public List<NodeProcess> joinAll(String site, List<String> hostnames) throws Exception {
        Map<String, NodeProcess> prepared = new LinkedHashMap<>();
        for (String hostname : hostnames) {
            prepared.put(hostname, prepareJoin(hostname, site));
        }
        ExecutorService starts = Executors.newFixedThreadPool(hostnames.size());
        try {
            Map<String, Future<NodeProcess>> started = new LinkedHashMap<>();
            prepared.forEach((hostname, node) -> started.put(hostname, starts.submit(node::start)));
            AssertionError failed = null;
            for (Map.Entry<String, Future<NodeProcess>> start : started.entrySet()) {
                try {
                    nodes.put(start.getKey(), start.getValue().get());
                } catch (ExecutionException e) {
                    failed = failed == null ? new AssertionError(start.getKey() + " did not start", e.getCause()) : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        } finally {
            starts.shutdown();
        }
        return hostnames.stream().map(nodes::get).toList();
    }

    /** Registers {@code hostname} and writes its etc/ files: a bootstrap token, its name and site. */
    private NodeProcess prepareJoin(String hostname, String site) throws Exception {
        expect(201, "POST", ACCOUNTS + "/nodes", "{\"hostname\":\"" + hostname + "\",\"site\":\"" + site + "\"}");
        expect(200, "PATCH", ACCOUNTS + "/nodes/" + hostname, "{\"bootState\":\"BOOT\"}");
        String bootstrapToken = expect(201, "POST", ACCOUNTS + "/nodes/" + hostname + "/bootstrap-tokens", "")
                .json().path("bootstrapToken").asText();
        Path data = directory.resolve(hostname);
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.accounts.node.cfg"), String.join("\n",
                "authorityUrl = " + admin().base(), "hostname = " + hostname, "bootstrapToken = " + bootstrapToken,
                "refreshSeconds = 5", ""));
        Files.writeString(data.resolve("etc/dev.sliceplane.node.cfg"),
                "name = " + hostname + "\nsite = " + site + "\nroles = node\n");
        writeVmmConfig(data, hostname);
        return placement.place(hostname, new NodeProcess(data));
    }

    /** Starts {@code hostname} again (after a stop or a kill) on its data directory and port. */
    public NodeProcess restart(String hostname) throws Exception {
        NodeProcess old = nodes.get(hostname);
        NodeProcess again = old.again().start();
        nodes.put(hostname, again);
        return again;
    }

    /** Adds a principal with {@code roles} at {@code site} and returns an access token of theirs. */
    public String principal(String email, String site, String... roles) throws Exception {
        expect(201, "POST", ACCOUNTS + "/principals", "{\"email\":\"" + email + "\",\"name\":\"" + email
                + "\",\"site\":\"" + site + "\",\"roles\":[\"" + String.join("\",\"", roles) + "\"]}");
        String apiKey = expect(201, "POST", ACCOUNTS + "/principals/" + email + "/api-keys", null)
                .json().path("apiKey").asText();
        return authority.tokenFor(apiKey);
    }

    public NodeProcess authority() {
        return authority;
    }

    public Http admin() {
        return authority.http();
    }

    /**
     * A client calling {@code node} as the authority's administrator: a joined node has no
     * administrator of its own and accepts the authority's tokens.
     */
    public Http adminAt(NodeProcess node) {
        return node.anonymousHttp().as(authority.tokenFor(authority.adminApiKey()));
    }

    public NodeProcess node(String hostname) {
        return nodes.get(hostname);
    }

    public List<NodeProcess> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /** The cgroup root of the node with this data directory name, under each hierarchy's mount. */
    public String cgroupRoot(String name) {
        return cgroupPrefix + "-" + name.replace('.', '-');
    }

    /** Sends a request as the administrator and fails unless it gets {@code status}. */
    public Http.Response expect(int status, String method, String path, String json) throws Exception {
        Http admin = admin();
        HttpRequest.Builder request = admin.request(path);
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        Http.Response response = admin.send(request.build());
        if (response.status() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + ", got " + response.status() + " "
                    + response.body());
        }
        return response;
    }

    private void writeVmmConfig(Path data, String name) throws IOException {
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"), "linux.cgroupRoot = " + cgroupRoot(name) + "\n");
    }

    /**
     * Releases every lease the nodes still hold (slivers outlive their node, so a test's programs
     * would otherwise run on), stops every node and the authority, and removes the cgroup roots
     * the cluster's nodes used.
     */
    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : nodes.values()) {
            releaseLeases(node);
            node.close();
        }
        if (authority != null) {
            releaseLeases(authority);
            authority.close();
        }
        CgroupRoots.removeAll(cgroupPrefix);
    }

    private void releaseLeases(NodeProcess node) {
        try {
            Http admin = adminAt(node);
            Http.Response listed = admin.get("/api/v1/leases");
            if (listed.status() != 200) {
                return;
            }
            JsonNode leases = listed.json().isArray() ? listed.json() : listed.json().path("leases");
            for (JsonNode lease : leases) {
                admin.delete("/api/v1/leases/" + lease.path("id").asText());
            }
        } catch (IOException | RuntimeException e) {
            // A node that is down keeps its slivers; the cgroup removal below then leaves them too.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
