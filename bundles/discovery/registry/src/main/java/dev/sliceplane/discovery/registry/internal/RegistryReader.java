package dev.sliceplane.discovery.registry.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;

/**
 * Reads the node list from the authority: which nodes the registry boots ({@code NodeDirectory}
 * in-process on the authority; {@code GET /api/v1/accounts/nodes?bootState=boot} elsewhere) and
 * where each answers ({@code GET /api/v1/agent/nodes}: the URL of its last capacity report, since
 * the registry keeps no addresses). Both calls carry this node's credential; any authenticated
 * caller may make them. Thread-safe.
 */
final class RegistryReader {

    static final String ACCOUNTS_NODES = "/api/v1/accounts/nodes?bootState=boot";
    static final String AGENT_NODES = "/api/v1/agent/nodes";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    RegistryReader(HttpClient http, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    /**
     * The booted nodes with their addresses, read from {@code authority} with {@code credential};
     * {@code directory} (may be null) answers the registry's part in-process. Fails when either
     * read fails, so a round without an answer changes no one's liveness.
     */
    CompletableFuture<List<Member>> members(URI authority, String credential, NodeDirectory directory) {
        CompletableFuture<Map<String, String>> booted = directory != null
                ? CompletableFuture.supplyAsync(bootedIn(directory), Runnable::run)
                : get(authority, ACCOUNTS_NODES, credential).thenApply(RegistryReader::bootedIn);
        CompletableFuture<Map<String, URI>> addresses = get(authority, AGENT_NODES, credential)
                .thenApply(RegistryReader::addresses);
        return booted.thenCombine(addresses, (sites, urls) -> {
            List<Member> members = new ArrayList<>();
            sites.forEach((hostname, site) -> members.add(new Member(hostname, site, urls.get(hostname))));
            members.sort((a, b) -> a.hostname().compareTo(b.hostname()));
            return members;
        });
    }

    private static Supplier<Map<String, String>> bootedIn(NodeDirectory directory) {
        return () -> {
            Map<String, String> sites = new HashMap<>();
            for (NodeRecord node : directory.nodes()) {
                if (node.bootState().equalsIgnoreCase("boot")) {
                    sites.put(node.hostname(), node.site());
                }
            }
            return sites;
        };
    }

    private static Map<String, String> bootedIn(JsonNode nodes) {
        Map<String, String> sites = new HashMap<>();
        for (JsonNode node : nodes) {
            if (node.path("bootState").asText().toLowerCase(Locale.ROOT).equals("boot")) {
                sites.put(node.path("hostname").asText(), node.path("site").asText());
            }
        }
        return sites;
    }

    private static Map<String, URI> addresses(JsonNode nodes) {
        Map<String, URI> urls = new HashMap<>();
        for (JsonNode node : nodes) {
            String url = node.path("url").asText("");
            if (!url.isBlank()) {
                urls.put(node.path("hostname").asText(), URI.create(url));
            }
        }
        return urls;
    }

    private CompletableFuture<JsonNode> get(URI authority, String pathAndQuery, String credential) {
        HttpRequest request = HttpRequest.newBuilder(Urls.resolve(authority, pathAndQuery)).timeout(timeout)
                .header("Authorization", "Bearer " + credential).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode());
            }
            try {
                JsonNode body = json.readTree(response.body());
                if (!body.isArray()) {
                    throw new IllegalStateException("GET " + pathAndQuery + " answered no JSON array");
                }
                return body;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("GET " + pathAndQuery + " answered malformed JSON", e);
            }
        });
    }
}
