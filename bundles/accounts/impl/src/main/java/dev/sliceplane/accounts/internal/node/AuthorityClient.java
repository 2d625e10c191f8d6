package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.IssuedToken;

/**
 * The node's calls to its authority's HTTP API: register with a bootstrap token, renew the node
 * credential, and fetch the JWKS and the node's slices conditionally ({@code If-None-Match}).
 * An answer other than the expected is a {@link Refused}; no answer at all an {@link IOException}.
 */
final class AuthorityClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNTS = "/api/v1/accounts";

    /** The authority answered, but not with what was asked for. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** A conditional fetch: 200 with a body and its ETag, or 304 (no body). */
    record Fetched(boolean notModified, String etag, byte[] body) {
    }

    private final String base;
    private final HttpClient http;
    private final Duration timeout;

    AuthorityClient(String authorityUrl, Duration timeout) {
        this.base = authorityUrl.endsWith("/") ? authorityUrl.substring(0, authorityUrl.length() - 1) : authorityUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String base() {
        return base;
    }

    IssuedToken register(String hostname, String bootstrapToken, String publicKey) throws IOException, Refused {
        ObjectNode body = JSON.createObjectNode();
        body.put("hostname", hostname);
        body.put("bootstrapToken", bootstrapToken);
        body.put("publicKey", publicKey);
        return credential(send(request("/node-credentials").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build()), "registration");
    }

    IssuedToken renew(String credential) throws IOException, Refused {
        return credential(send(request("/node-credentials/renew").header("Authorization", "Bearer " + credential)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), "renewal");
    }

    Fetched jwks(String etag) throws IOException, Refused {
        return fetch(conditional(request("/jwks.json"), etag).GET().build(), "the authority's keys");
    }

    Fetched slices(String hostname, String credential, String etag) throws IOException, Refused {
        return slices(hostname, credential, etag, null);
    }

    /** As above, within {@code within} (null: the client's timeout). */
    Fetched slices(String hostname, String credential, String etag, Duration within) throws IOException, Refused {
        HttpRequest.Builder request = conditional(request("/nodes/" + hostname + "/slices"), etag)
                .header("Authorization", "Bearer " + credential);
        if (within != null) {
            request.timeout(within);
        }
        return fetch(request.GET().build(), "the node's slices");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + ACCOUNTS + path)).timeout(timeout)
                .header("Accept", "application/json");
    }

    private static HttpRequest.Builder conditional(HttpRequest.Builder request, String etag) {
        return etag == null || etag.isEmpty() ? request : request.header("If-None-Match", etag);
    }

    private Fetched fetch(HttpRequest request, String what) throws IOException, Refused {
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() == 304) {
            return new Fetched(true, response.headers().firstValue("ETag").orElse(""), null);
        }
        if (response.statusCode() != 200) {
            throw refused(response, what);
        }
        return new Fetched(false, response.headers().firstValue("ETag").orElse(""), response.body());
    }

    private static IssuedToken credential(HttpResponse<byte[]> response, String what) throws Refused {
        if (response.statusCode() != 201) {
            throw refused(response, "node " + what);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return new IssuedToken(body.path("credential").asText(), Instant.parse(body.path("expiresAt").asText()));
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            throw new Refused(response.statusCode(), "node " + what + ": the authority's answer is not a credential");
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling the authority", e);
        }
    }

    /** A refusal with the problem's detail when the authority sent one (never a secret of ours). */
    private static Refused refused(HttpResponse<byte[]> response, String what) {
        String detail = "";
        try {
            JsonNode problem = JSON.readTree(response.body());
            detail = problem == null ? "" : problem.path("detail").asText("");
        } catch (IOException e) {
            // not a problem document; the status says enough
        }
        return new Refused(response.statusCode(), what + ": the authority answered " + response.statusCode()
                + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
}
