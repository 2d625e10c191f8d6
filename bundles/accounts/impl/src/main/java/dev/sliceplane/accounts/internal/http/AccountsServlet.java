package dev.sliceplane.accounts.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the accounts routes share on top of {@link ApiServlet}: the registry's JSON
 * ({@link AccountsJson}), registry failures answered as problems ({@link RegistryProblems}), the
 * authenticated caller, path segments, strict query parameters and {@code Location} headers.
 * Handlers run inside {@link #serve} so that a {@link RegistryException} from anywhere in them
 * becomes its problem rather than a 500.
 */
abstract class AccountsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    /** Every accounts route lives under this path. */
    static final String BASE = ApiPaths.PREFIX + "/accounts";

    /** A handler's work, run by {@link #serve}. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    /** Runs {@code work}, answering registry failures with their problems. */
    static void serve(Work work) throws IOException {
        try {
            work.run();
        } catch (RegistryException e) {
            throw RegistryProblems.exception(e);
        }
    }

    /**
     * The authenticated caller. The platform's filter answers 401 before a request gets here;
     * this keeps the routes closed should a request ever arrive without it.
     */
    static Caller caller(HttpServletRequest req) {
        Caller caller = Caller.of(req);
        if (caller.isAnonymous()) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                    "this route needs a bearer token; get one with POST " + BASE + "/tokens"));
        }
        return caller;
    }

    /** The path below the servlet's pattern, split at '/'; an empty segment is no route. */
    static List<String> segments(HttpServletRequest req) {
        String path = subPath(req);
        if (path.isEmpty()) {
            return List.of();
        }
        List<String> segments = Arrays.asList(path.split("/", -1));
        if (segments.contains("")) {
            throw noRoute(req);
        }
        return segments;
    }

    static ProblemException noRoute(HttpServletRequest req) {
        return new ProblemException(Problem.notFound("no resource at " + req.getRequestURI()));
    }

    /**
     * The query parameters, each at most once and only those named: a misspelt filter is a 400
     * rather than a silently unfiltered list. Missing ones are absent from the map.
     */
    static Map<String, String> query(HttpServletRequest req, String... allowed) {
        Set<String> known = Set.of(allowed);
        Map<String, String> values = new HashMap<>();
        for (Enumeration<String> names = req.getParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            if (!known.contains(name)) {
                throw new ProblemException(Problem.badRequest("unknown query parameter '" + AccountsJson.shorten(name)
                        + "'" + (known.isEmpty() ? "" : "; known: " + new java.util.TreeSet<>(known)))
                        .with("field", name));
            }
            String[] given = req.getParameterValues(name);
            if (given.length != 1) {
                throw new ProblemException(Problem.badRequest("query parameter '" + name + "' given more than once")
                        .with("field", name));
            }
            if (!given[0].isBlank()) {
                values.put(name, given[0].strip());
            }
        }
        return values;
    }

    /** The body as a JSON object (400 for any other JSON value). */
    ObjectNode bodyObject(HttpServletRequest req) throws IOException {
        JsonNode body = readJson(req, JsonNode.class);
        if (!body.isObject()) {
            throw new ProblemException(Problem.badRequest("the body must be a JSON object"));
        }
        return (ObjectNode) body;
    }

    /** The body as a {@code type}; 400 naming the field for anything the record refuses. */
    <T> T body(HttpServletRequest req, Class<T> type) throws IOException {
        return AccountsJson.convert(bodyObject(req), type);
    }

    static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(ApiPaths.JSON);
        resp.setCharacterEncoding("UTF-8");
        AccountsJson.MAPPER.writeValue(resp.getOutputStream(), body);
    }

    /** 201 with {@code Location: BASE/<segments, each percent-encoded>}. */
    static void created(HttpServletResponse resp, Object body, String... location) throws IOException {
        resp.setHeader("Location", location(location));
        send(resp, 201, body);
    }

    static void noContent(HttpServletResponse resp) {
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    static String location(String... segments) {
        StringBuilder path = new StringBuilder(BASE);
        for (String segment : segments) {
            path.append('/').append(encodeSegment(segment));
        }
        return path.toString();
    }

    /** RFC 3986 path segment: unreserved characters, sub-delims, ':' and '@' stay; the rest is %XX. */
    static String encodeSegment(String segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.write(c);
            } else {
                out.writeBytes(("%" + HexFormat.of().withUpperCase().toHexDigits(b)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
