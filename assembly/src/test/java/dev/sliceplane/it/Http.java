package dev.sliceplane.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small HTTP client for the node's JSON API. It sends {@code Authorization: Bearer} with the
 * token its supplier gives, or nothing when it has none.
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Supplier<String> token;

    /** An anonymous client. */
    public Http(URI base) {
        this(base, () -> null);
    }

    public Http(URI base, Supplier<String> token) {
        this.base = base;
        this.token = token;
    }

    /** The same node, calling with {@code bearer} (or anonymously when it is null). */
    public Http as(String bearer) {
        return new Http(base, () -> bearer);
    }

    /** The same node, calling without a credential. */
    public Http anonymous() {
        return as(null);
    }

    public URI base() {
        return base;
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + " " + contentType + "): " + body, e);
            }
        }
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public Response postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    public Response method(String method, String path) throws IOException, InterruptedException {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Polls GET {@code path} until it answers 200 with JSON that {@code condition} holds of, for at
     * most {@code timeout}: samples, views and health change in their own time, never on the test's.
     */
    public JsonNode awaitJson(String path, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (last.status() == 200 && condition.test(last.json())) {
                return last.json();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching answer from " + path + " in " + timeout + "; last: "
                + (last == null ? "none" : last.status() + " " + last.body()));
    }

    /** The status of a GET, or -1 when the node does not answer. */
    public int statusOf(String path) {
        try {
            return CLIENT.send(request(path).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        String bearer = token.get();
        return bearer == null ? builder : builder.header("Authorization", "Bearer " + bearer);
    }

    public Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }
}
