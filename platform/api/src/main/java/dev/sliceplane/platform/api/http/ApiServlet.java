package dev.sliceplane.platform.api.http;

import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceHeader;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Base class of every HTTP endpoint. Subclasses override the {@code doGet}, {@code doPost}, ...
 * methods they support and register as servlet whiteboard services under {@link ApiPaths#PREFIX}.
 *
 * <p>It gives them the API's conventions: JSON bodies ({@link #readJson}, {@link #writeJson}),
 * errors as problem details (throw {@link ProblemException}; any other exception becomes a 500
 * without a stack trace), 405 with an {@code Allow} header for methods a subclass does not
 * implement, 415 for bodies that are not JSON, and the CPU time of each request accounted to the
 * management slice of the bundle that registered the servlet.
 */
@ConsumerType
public abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};

    /** The shared JSON mapper: ISO-8601 times, unknown request members refused. */
    protected static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private transient volatile String allow;
    private transient volatile Map<String, String[]> requiredRoles;
    private transient volatile SliceAccount sliceAccount;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            authorize(req);
            super.service(req, resp);
        } catch (ProblemException e) {
            sendProblem(resp, e.problem());
        } catch (UnrecognizedPropertyException e) {
            sendProblem(resp, Problem.badRequest("unknown field '" + e.getPropertyName() + "'")
                    .with("field", e.getPropertyName()));
        } catch (JsonProcessingException e) {
            sendProblem(resp, Problem.of(400, "malformed-json", "Malformed JSON", describe(e)));
        } catch (EOFException e) {
            // The client hung up (Jetty's EofException is one): nobody is left to answer, nothing failed here.
            LOG.debug("{} {}: the client closed the connection: {}", req.getMethod(), req.getRequestURI(), e.toString());
        } catch (Exception e) {
            LOG.error("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            sendProblem(resp, Problem.of(500, "internal-error", "Internal error",
                    "the request failed on the server; the node log has the details"));
        } finally {
            account().record(THREADS.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    @Override
    protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        resp.setHeader("Allow", allowedMethods());
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw methodNotAllowed(req, resp);
    }

    /**
     * Reads the request body as JSON into {@code type}.
     *
     * @throws ProblemException 415 when the body is not declared as JSON, 400 when it is empty
     * @throws IOException      on malformed JSON or unknown members (answered as 400)
     */
    protected <T> T readJson(HttpServletRequest req, Class<T> type) throws IOException {
        String contentType = req.getContentType();
        if (contentType == null || !isJson(contentType)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as " + ApiPaths.JSON + ", not " + (contentType == null ? "no type" : contentType)));
        }
        byte[] body = req.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw new ProblemException(Problem.badRequest("the request body is empty; a JSON object is expected"));
        }
        T value = JSON.readValue(body, type);
        if (value == null) {
            throw new ProblemException(Problem.badRequest("the request body is null; a JSON object is expected"));
        }
        return value;
    }

    /** Writes {@code body} as JSON with the given status. */
    protected void writeJson(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(ApiPaths.JSON);
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    /** Answers with a problem body; usable by any servlet or filter. */
    public static void sendProblem(HttpServletResponse resp, Problem problem) throws IOException {
        if (resp.isCommitted()) {
            LOG.warn("cannot send problem {} {}: response already committed", problem.status(), problem.type());
            return;
        }
        resp.resetBuffer();
        resp.setStatus(problem.status());
        resp.setContentType(ApiPaths.PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), problem.members());
    }

    /** The path below the servlet's pattern, without the leading slash, or "" when none. */
    protected static String subPath(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.equals("/")) {
            return "";
        }
        return info.startsWith("/") ? info.substring(1) : info;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return type.equals(ApiPaths.JSON) || type.endsWith("+json");
    }

    private static String describe(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "the body is not valid JSON" + where + ": " + e.getOriginalMessage();
    }

    private ProblemException methodNotAllowed(HttpServletRequest req, HttpServletResponse resp) {
        String allowed = allowedMethods();
        resp.setHeader("Allow", allowed);
        return new ProblemException(Problem.of(405, "method-not-allowed", "Method not allowed",
                req.getMethod() + " is not supported on " + req.getRequestURI() + "; allowed: " + allowed));
    }

    /**
     * Lets the caller in or answers 403, by the method's {@link Allow} or the default: any
     * authenticated caller may read, administrators may change. Administrators pass every role
     * check. An anonymous caller got here only
     * because the authentication filter found the route open to them, which stands in for
     * {@code Allow}. A request the filter never saw (it is not registered yet) is refused.
     */
    private void authorize(HttpServletRequest req) {
        if (!(req.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller)) {
            throw new ProblemException(Problem.of(503, "unavailable", "Service unavailable",
                    "the node's authentication is not running yet; retry shortly"));
        }
        if (caller.isAnonymous()) {
            return;
        }
        String[] roles = requiredRoles(req.getMethod());
        if (roles.length > 0 && !caller.isAdmin() && !caller.hasAnyRole(roles)) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden", caller.name() + " may not "
                    + req.getMethod() + " " + req.getRequestURI() + "; that takes one of the roles "
                    + String.join(", ", roles)).with("requiredRoles", List.of(roles)));
        }
    }

    /** The roles the method needs: its {@link Allow}, else none to read and admin to change. */
    private String[] requiredRoles(String method) {
        Map<String, String[]> known = requiredRoles;
        if (known == null) {
            known = new HashMap<>();
            for (String m : METHODS) {
                Allow allow = annotation(handlerName(m));
                known.put(m, allow != null ? allow.value() : m.equals("GET") ? new String[0] : new String[] {Roles.ADMIN});
            }
            known.put("HEAD", known.get("GET"));
            known.put("OPTIONS", new String[0]);
            requiredRoles = known;
        }
        return known.getOrDefault(method, new String[] {Roles.ADMIN});
    }

    private static String handlerName(String method) {
        return "do" + method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    private Allow annotation(String handler) {
        for (Class<?> c = getClass(); c != ApiServlet.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(handler) && m.getParameterCount() == 2) {
                    return m.getAnnotation(Allow.class);
                }
            }
        }
        return null;
    }

    /** The methods this servlet's class implements, for {@code Allow}. */
    private String allowedMethods() {
        String value = allow;
        if (value == null) {
            List<String> methods = new ArrayList<>();
            for (String method : METHODS) {
                if (implemented(handlerName(method))) {
                    methods.add(method);
                    if (method.equals("GET")) {
                        methods.add("HEAD");
                    }
                }
            }
            methods.add("OPTIONS");
            value = allow = String.join(", ", methods);
        }
        return value;
    }

    private boolean implemented(String name) {
        for (Class<?> c = getClass(); c != ApiServlet.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 2) {
                    return true;
                }
            }
        }
        return false;
    }

    private SliceAccount account() {
        SliceAccount value = sliceAccount;
        if (value == null) {
            value = sliceAccount = SliceAccount.of(getClass());
        }
        return value;
    }

    /** Where request CPU goes: the slice of the servlet's bundle, or nowhere outside OSGi. */
    private static final class SliceAccount {
        private static final SliceAccount NONE = new SliceAccount(null);
        private final ManagementSlice slice;

        private SliceAccount(ManagementSlice slice) {
            this.slice = slice;
        }

        static SliceAccount of(Class<?> servletClass) {
            Bundle bundle = FrameworkUtil.getBundle(servletClass);
            BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null || bundle.getHeaders("").get(SliceHeader.NAME) == null) {
                return NONE;
            }
            ServiceReference<ManagementSlice> ref = context.getServiceReference(ManagementSlice.class);
            ManagementSlice slice = ref == null ? null : context.getService(ref);
            return new SliceAccount(slice);
        }

        void record(long cpuNanos) {
            if (slice != null) {
                slice.recordRequest(cpuNanos);
            }
        }
    }
}
