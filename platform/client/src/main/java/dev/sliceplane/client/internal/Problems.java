package dev.sliceplane.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.client.Failure;
import dev.sliceplane.platform.api.acquisition.Reason;

/**
 * Reads an error answer into a {@link Failure}: an RFC 9457 problem document with the contract's
 * {@code reasons} when there is one; anything else (a proxy's page, an empty body) still gives a
 * readable failure from the status alone.
 */
public final class Problems {

    /** Types for answers that are not problem documents, in the servers' vocabulary. */
    private static final Map<Integer, String> STATUS_TYPES = Map.ofEntries(
            Map.entry(400, "bad-request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"), Map.entry(405, "method-not-allowed"), Map.entry(409, "conflict"),
            Map.entry(410, "gone"), Map.entry(413, "payload-too-large"), Map.entry(415, "unsupported-media-type"),
            Map.entry(422, "unprocessable"), Map.entry(429, "too-many-requests"), Map.entry(500, "internal-error"),
            Map.entry(502, "bad-gateway"), Map.entry(503, "unavailable"), Map.entry(504, "gateway-timeout"));
    private static final int MAX_TEXT = 300;
    private static final String UNKNOWN = "-";

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public Failure read(int status, String contentType, String body) {
        JsonNode problem = parse(contentType, body);
        if (problem == null || !problem.isObject()) {
            String text = contentType.startsWith("text/plain") ? oneLine(body) : "";
            return new Failure(status, statusType(status), text.isEmpty() ? "HTTP " + status : text, List.of());
        }
        String type = typeOf(problem.path("type").asText(""));
        String detail = problem.path("detail").asText("");
        if (detail.isBlank()) {
            detail = problem.path("title").asText("");
        }
        if (detail.isBlank()) {
            detail = "HTTP " + status;
        }
        return new Failure(status, type.isEmpty() ? statusType(status) : type, oneLine(detail),
                reasons(problem.path("reasons")));
    }

    private static List<Reason> reasons(JsonNode array) {
        List<Reason> reasons = new ArrayList<>();
        for (JsonNode reason : array) {
            if (reason.isObject()) {
                reasons.add(new Reason(text(reason, "check"), text(reason, "node"), text(reason, "rule"),
                        oneLine(text(reason, "detail"))));
            }
        }
        return reasons;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText() : UNKNOWN;
    }

    private JsonNode parse(String contentType, String body) {
        if (!contentType.contains("json") || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code https://sliceplane.dev/problems/policy-denied} → {@code policy-denied}; {@code about:blank} → none. */
    static String typeOf(String uri) {
        if (uri.isBlank() || uri.equals("about:blank")) {
            return "";
        }
        String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static String statusType(int status) {
        return STATUS_TYPES.getOrDefault(status, "error");
    }

    /** A text fit for one line: the first line, bounded. */
    static String oneLine(String text) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT) + "…";
    }
}
