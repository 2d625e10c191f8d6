package dev.sliceplane.it;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Several nodes' discovery views, read through the product's own {@code GET
 * /api/v1/discovery/nodes}, polled together so a test learns when each node came to see what it
 * should: how long convergence, failure detection or a merge took on every node, not just on the
 * one it happened to ask last.
 */
final class DiscoveryViews {

    private static final String NODES = "/api/v1/discovery/nodes?select=hostname,liveness,url,health&sort=hostname";

    /** When each node first showed its expected view, and when all showed theirs in the same round. */
    record Reached(Map<String, Duration> byNode, Duration all) {
        /** The slowest node's time. */
        Duration slowest() {
            return byNode.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("all after " + all.toMillis() + " ms (");
            byNode.forEach((node, took) -> text.append(node).append(' ').append(took.toMillis()).append(" ms, "));
            text.setLength(text.length() - 2);
            return text.append(')').toString();
        }
    }

    private final Map<String, Http> nodes;

    /** @param nodes a client of each node to watch, by a name for messages (its host name) */
    DiscoveryViews(Map<String, Http> nodes) {
        this.nodes = new LinkedHashMap<>(nodes);
    }

    /**
     * Polls every node until each one's view is exactly {@code expected.get(node)}, all of them
     * ALIVE, in one round, for at most {@code timeout} counted from {@code sinceNanos} (a {@link
     * System#nanoTime()} taken when the change under test began).
     */
    Reached awaitAlive(Map<String, Set<String>> expected, long sinceNanos, Duration timeout) throws Exception {
        long deadline = sinceNanos + timeout.toNanos();
        Map<String, Duration> first = new TreeMap<>();
        Map<String, JsonNode> last = new TreeMap<>();
        while (true) {
            boolean allMatch = true;
            for (Map.Entry<String, Http> node : nodes.entrySet()) {
                JsonNode view = view(node.getValue());
                last.put(node.getKey(), view);
                boolean matches = view != null && alive(view).equals(expected.get(node.getKey()))
                        && alive(view).size() == view.path("rows").size();
                if (matches) {
                    first.putIfAbsent(node.getKey(), Duration.ofNanos(System.nanoTime() - sinceNanos));
                }
                allMatch &= matches;
            }
            if (allMatch) {
                return new Reached(first, Duration.ofNanos(System.nanoTime() - sinceNanos));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("views did not become " + expected + " within " + timeout + "; last views: " + last);
            }
            Thread.sleep(100);
        }
    }

    /** Every watched node expecting the same view. */
    Reached awaitAlive(Set<String> everywhere, long sinceNanos, Duration timeout) throws Exception {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        nodes.keySet().forEach(node -> expected.put(node, everywhere));
        return awaitAlive(expected, sinceNanos, timeout);
    }

    /** The node's view, or null while it does not answer one. */
    private static JsonNode view(Http node) throws InterruptedException {
        try {
            Http.Response response = node.get(NODES);
            return response.status() == 200 ? response.json() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The latest rows of {@code node}'s view, for assertions on what the adverts say. */
    JsonNode rows(String node) throws Exception {
        return nodes.get(node).get(NODES).json().path("rows");
    }

    /** The host names in a view answered by {@code /api/v1/discovery/nodes} that are ALIVE. */
    static Set<String> alive(JsonNode view) {
        Set<String> names = new TreeSet<>();
        for (JsonNode row : view.path("rows")) {
            if ("alive".equals(row.path("liveness").asText())) {
                names.add(row.path("hostname").asText());
            }
        }
        return names;
    }
}
