package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.NodeCredentialClaims;

/**
 * An authority's four node routes on the JDK's HTTP server, signing with a real
 * {@link AuthorityComponent}: enough to drive a {@link NodeAgent} over real HTTP in unit tests.
 * It counts what it answered, so the tests see renewals and 304s.
 */
final class FakeAuthority implements AutoCloseable {

    static final String TOKEN = "spb_" + "A".repeat(43);
    private static final ObjectMapper JSON = new ObjectMapper();

    final AuthorityComponent authority;
    final String hostname;
    final AtomicInteger registrations = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger notModified = new AtomicInteger();
    final AtomicInteger full = new AtomicInteger();
    volatile List<NodeSlice> slices = new ArrayList<>();
    private volatile boolean tokenUsed;
    private volatile Node node;
    private final HttpServer server;

    FakeAuthority(AuthorityComponent authority, String hostname) throws IOException {
        this.authority = authority;
        this.hostname = hostname;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/accounts/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/api/v1/accounts".length());
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/node-credentials")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                if (tokenUsed || !TOKEN.equals(body.path("bootstrapToken").asText())
                        || !hostname.equals(body.path("hostname").asText())) {
                    send(exchange, 401, "{\"detail\":\"the bootstrap token is not valid for this node\"}");
                    return;
                }
                tokenUsed = true;
                node = new Node(hostname, "princeton", body.path("publicKey").asText(), BootState.BOOT);
                registrations.incrementAndGet();
                credential(exchange, authority.issueNodeCredential(node));
            } else if (method.equals("POST") && path.equals("/node-credentials/renew")) {
                nodeCaller(exchange);
                renewals.incrementAndGet();
                credential(exchange, authority.issueNodeCredential(node));
            } else if (method.equals("GET") && path.equals("/jwks.json")) {
                conditional(exchange, JSON.writeValueAsBytes(authority.jwks()));
            } else if (method.equals("GET") && path.equals("/nodes/" + hostname + "/slices")) {
                nodeCaller(exchange);
                conditional(exchange, NodeSlicesDocument.write(slices));
            } else {
                send(exchange, 404, "{}");
            }
        } catch (InvalidTokenException e) {
            send(exchange, 401, "{\"detail\":\"" + e.getMessage() + "\"}");
        }
    }

    private void nodeCaller(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        NodeCredentialClaims claims = authority.verifyNodeCredential(
                authorization == null ? "" : authorization.substring("Bearer ".length()));
        if (!claims.hostname().equals(hostname)) {
            throw new InvalidTokenException("another node");
        }
    }

    private void conditional(HttpExchange exchange, byte[] body) throws IOException {
        String etag;
        try {
            etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(body)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        exchange.getResponseHeaders().set("ETag", etag);
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            notModified.incrementAndGet();
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        full.incrementAndGet();
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void credential(HttpExchange exchange, IssuedToken issued) throws IOException {
        send(exchange, 201, "{\"credential\":\"" + issued.token() + "\",\"expiresAt\":\"" + issued.expiresAt() + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
