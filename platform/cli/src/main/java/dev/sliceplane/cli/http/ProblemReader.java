package dev.sliceplane.cli.http;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns an error response into an {@link ApiProblemException}. The node answers with RFC 9457
 * problem documents; anything else (a proxy's page, an empty body) still gets a readable line
 * from the status alone.
 */
public final class ProblemReader {

    /** Slugs for bodies that are not problem documents, in the node's own vocabulary. */
    private static final Map<Integer, String> STATUS_SLUGS = Map.ofEntries(
            Map.entry(400, "bad-request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"), Map.entry(405, "method-not-allowed"), Map.entry(409, "conflict"),
            Map.entry(413, "payload-too-large"), Map.entry(415, "unsupported-media-type"),
            Map.entry(429, "too-many-requests"), Map.entry(500, "internal-error"), Map.entry(502, "bad-gateway"),
            Map.entry(503, "unavailable"), Map.entry(504, "gateway-timeout"));
    private static final int MAX_TEXT = 200;

    private final ObjectMapper json;

    public ProblemReader(ObjectMapper json) {
        this.json = json;
    }

    public ApiProblemException read(int status, String contentType, String body) {
        JsonNode problem = parse(contentType, body);
        if (problem != null && problem.isObject()) {
            String slug = slugOf(problem.path("type").asText(""));
            String detail = problem.path("detail").asText("");
            if (detail.isBlank()) {
                detail = problem.path("title").asText("");
            }
            String field = problem.path("field").asText("");
            if (!field.isEmpty() && !detail.contains(field)) {
                detail = field + ": " + detail;
            }
            return new ApiProblemException(status, slug.isEmpty() ? fallbackSlug(status) : slug, oneLine(detail));
        }
        String text = contentType.startsWith("text/plain") ? oneLine(body) : "";
        return new ApiProblemException(status, fallbackSlug(status), text);
    }

    private JsonNode parse(String contentType, String body) {
        if (!(contentType.contains("json")) || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code https://sliceplane.dev/problems/not-found} → {@code not-found}; {@code about:blank} → none. */
    static String slugOf(String type) {
        if (type.isBlank() || type.equals("about:blank")) {
            return "";
        }
        String trimmed = type.endsWith("/") ? type.substring(0, type.length() - 1) : type;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static String fallbackSlug(int status) {
        return STATUS_SLUGS.getOrDefault(status, "error");
    }

    /** A reason fit for one stderr line: first line only, bounded. */
    static String oneLine(String text) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT) + "…";
    }
}
