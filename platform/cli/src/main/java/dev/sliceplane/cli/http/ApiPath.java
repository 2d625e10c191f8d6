package dev.sliceplane.cli.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A path under {@code /api/v1/accounts} built from segments that may hold any character (emails,
 * key fingerprints with {@code /} and {@code +}), each percent-encoded, plus optional query
 * parameters that are left out when absent.
 */
public final class ApiPath {

    public static final String ACCOUNTS = "/api/v1/accounts";

    private final StringBuilder path;
    private final Map<String, String> query = new LinkedHashMap<>();

    private ApiPath(String prefix) {
        this.path = new StringBuilder(prefix);
    }

    /** {@code /api/v1/accounts/<segment>/<segment>...}, each segment encoded. */
    public static ApiPath accounts(String... segments) {
        ApiPath result = new ApiPath(ACCOUNTS);
        for (String segment : segments) {
            result.path.append('/').append(encodeSegment(segment));
        }
        return result;
    }

    /** Adds {@code name=value} when value is not null. */
    public ApiPath query(String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
        return this;
    }

    @Override
    public String toString() {
        if (query.isEmpty()) {
            return path.toString();
        }
        StringJoiner joined = new StringJoiner("&", path + "?", "");
        query.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
        return joined.toString();
    }

    /** Like {@link #encode}, but keeps '@' and ':' (legal in a segment) so emails and fingerprints stay readable in logs. */
    static String encodeSegment(String segment) {
        return encode(segment).replace("%40", "@").replace("%3A", ":");
    }

    /** Percent-encoding of one path segment or query component (a space is %20, never +). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
