package dev.sliceplane.platform.api.http;

import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail. {@code type} is a stable URI that clients may switch on; {@code
 * title} is the same for every problem of a type; {@code detail} explains this occurrence.
 *
 * @param type       stable identifier of the kind of problem
 * @param title      short summary of the kind of problem
 * @param status     the HTTP status code
 * @param detail     what went wrong this time, for a person
 * @param extensions further members, serialized beside the standard ones
 */
public record Problem(String type, String title, int status, String detail, Map<String, Object> extensions) {

    /** Base of the {@code type} URIs. */
    public static final String TYPE_BASE = "https://sliceplane.dev/problems/";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
        }
        detail = detail == null ? "" : detail;
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem of type {@code TYPE_BASE + slug}. */
    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, Map.of());
    }

    /** The members of the problem document in the order they are written: the standard ones, then the extensions (in no set order). */
    public Map<String, Object> members() {
        var members = new java.util.LinkedHashMap<String, Object>();
        members.put("type", type);
        members.put("title", title);
        members.put("status", status);
        members.put("detail", detail);
        members.putAll(extensions);
        return members;
    }

    /** This problem with one more extension member. */
    public Problem with(String name, Object value) {
        var more = new java.util.LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(type, title, status, detail, more);
    }

    public static Problem badRequest(String detail) {
        return of(400, "bad-request", "Bad request", detail);
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail);
    }

    public static Problem conflict(String detail) {
        return of(409, "conflict", "Conflict", detail);
    }

    public static Problem unprocessable(String slug, String title, String detail) {
        return of(422, slug, title, detail);
    }
}
