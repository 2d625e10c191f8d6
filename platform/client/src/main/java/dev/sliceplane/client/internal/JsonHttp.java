package dev.sliceplane.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.sliceplane.client.BearerToken;
import dev.sliceplane.client.Failure;

/**
 * JSON requests to any Sliceplane server (the authority or a node) with the caller's bearer
 * token. Never throws for what a server does: every outcome, no answer included, is a
 * {@link Reply}. A 401 is retried once with a refreshed token (a 401 means nothing was done).
 */
public final class JsonHttp {

    private final HttpClient http;
    private final ObjectMapper json;
    private final BearerToken tokens;
    private final Problems problems;

    public JsonHttp(HttpClient http, ObjectMapper json, BearerToken tokens) {
        this.http = Objects.requireNonNull(http, "http");
        this.json = json;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.problems = new Problems(json);
    }

    public ObjectMapper json() {
        return json;
    }

    /**
     * Sends {@code method base+path} and waits at most {@code timeout} for the answer.
     *
     * @param path already encoded, starting with {@code /}
     * @param body null for none
     */
    public Reply send(String method, URI base, String path, JsonNode body, Duration timeout) {
        URI url = resolve(base, path);
        String token = tokens.current();
        Reply reply = exchange(method, base, url, body, timeout, token);
        if (reply.failure() != null && reply.failure().status() == 401) {
            String fresh = tokens.refresh(token);
            if (fresh != null && !fresh.equals(token)) {
                reply = exchange(method, base, url, body, timeout, fresh);
            }
        }
        return reply;
    }

    /** {@code http://host:port} (or one with a path prefix) + {@code /api/v1/...}. */
    static URI resolve(URI base, String path) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path);
    }

    private Reply exchange(String method, URI base, URI url, JsonNode body, Duration timeout, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Reply.unreachable(base, reason(e, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.unreachable(base, "interrupted");
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        int status = response.statusCode();
        if (status >= 300) {
            return Reply.failed(problems.read(status, contentType, response.body()));
        }
        if (response.body().isBlank()) {
            return Reply.success(MissingNode.getInstance());
        }
        try {
            return Reply.success(json.readTree(response.body()));
        } catch (JsonProcessingException e) {
            return Reply.failed(unreadable(status, contentType));
        }
    }

    /** A success status with a body that is not the JSON expected. */
    public static Failure unreadable(int status, String what) {
        return new Failure(status, "unreadable-answer", "the answer (" + status + ") is not the JSON expected: " + what,
                List.of());
    }

    /** Why no answer came, in a few words (the JDK's messages are often null or internal). */
    static String reason(IOException e, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection in time";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + seconds(timeout);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
