package dev.sliceplane.platform.internal.security;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.security.AuthenticationException;
import dev.sliceplane.platform.api.security.Authenticator;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every request before anything else runs: a bearer credential is turned into a
 * {@link Caller} by the {@link Authenticator} service and left on the request; a bad one is
 * answered 401. Without a credential a request passes as {@link Caller#ANONYMOUS} only to routes
 * open to anonymous callers (by servlet property or by configuration); elsewhere it gets 401.
 * Endpoints then decide what the caller may do. Every mutating call, let through or not, goes to
 * the {@link AuditLog}.
 */
@Component(service = Filter.class, configurationPid = "dev.sliceplane.http.auth",
        property = Constants.SERVICE_RANKING + ":Integer=1000")
@HttpWhiteboardFilterPattern("/*")
@Designate(ocd = AuthenticationFilter.Config.class)
public final class AuthenticationFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final Set<String> READING = Set.of("GET", "HEAD", "OPTIONS");
    private static final String BEARER = "bearer ";

    @ObjectClassDefinition(name = "Sliceplane authentication",
            description = "Who may call the node's HTTP API without a credential.")
    public @interface Config {
        @AttributeDefinition(description = "Paths anonymous callers may read (GET and HEAD). Routes that must be "
                + "open, such as the token exchange, open themselves.")
        String[] anonymousReads() default {"/api/v1/health", "/metrics"};
    }

    private final AuditLog audit;
    private final Set<String> anonymousReads;
    private final OpenRoutes openRoutes = new OpenRoutes();
    private volatile Authenticator authenticator;

    @Activate
    public AuthenticationFilter(@Reference AuditLog audit, Config config) {
        this.audit = audit;
        this.anonymousReads = Set.of(config.anonymousReads());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(Authenticator a) {
        authenticator = a;
    }

    void unbindAuthenticator(Authenticator a) {
        if (authenticator == a) {
            authenticator = null;
        }
    }

    /** Every servlet, to know which one answers a path; only their properties are read. */
    @Reference(name = "servlet", service = Servlet.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, updated = "updatedServlet")
    void bindServlet(org.osgi.framework.ServiceReference<Servlet> ref, Map<String, Object> properties) {
        openRoutes.put(ref, properties);
    }

    void updatedServlet(org.osgi.framework.ServiceReference<Servlet> ref, Map<String, Object> properties) {
        openRoutes.put(ref, properties);
    }

    void unbindServlet(org.osgi.framework.ServiceReference<Servlet> ref) {
        openRoutes.remove(ref);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        boolean mutating = !READING.contains(req.getMethod());
        long start = System.nanoTime();
        Instant arrived = Instant.now();
        Caller caller = Caller.ANONYMOUS;
        try {
            caller = authenticate(req, resp);
            if (caller != null) {
                req.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
                chain.doFilter(req, resp);
            }
        } finally {
            if (mutating) {
                int status = resp.getStatus();
                Caller who = caller == null ? Caller.ANONYMOUS : caller;
                audit.record(new AuditEntry(arrived, who.name(), who.kind().name(), who.tokenId(), req.getMethod(),
                        path(req), status, AuditEntry.outcomeOf(status), req.getRemoteAddr(),
                        (System.nanoTime() - start) / 1000));
            }
        }
    }

    /** The caller, or {@code null} after answering 401 or 503. */
    private Caller authenticate(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String header = req.getHeader("Authorization");
        if (header == null) {
            if (isOpen(req)) {
                return Caller.ANONYMOUS;
            }
            refuse(resp, "", "this route needs a credential: send Authorization: Bearer <token>; "
                    + "POST /api/v1/accounts/tokens exchanges an API key for one");
            return null;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
            refuse(resp, "error=\"invalid_request\"", "only Bearer credentials are accepted");
            return null;
        }
        Authenticator current = authenticator;
        if (current == null) {
            ApiServlet.sendProblem(resp, Problem.of(503, "unavailable", "Service unavailable",
                    "no credential can be checked: the accounts service is not running on this node"));
            return null;
        }
        try {
            return current.authenticate(header.substring(BEARER.length()).trim());
        } catch (AuthenticationException e) {
            LOG.debug("credential refused on {} {}: {}", req.getMethod(), path(req), e.getMessage());
            refuse(resp, "error=\"invalid_token\"", "the credential is not valid: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.error("the authenticator failed on {} {}", req.getMethod(), path(req), e);
            ApiServlet.sendProblem(resp, Problem.of(503, "unavailable", "Service unavailable",
                    "the credential could not be checked; retry shortly"));
            return null;
        }
    }

    private boolean isOpen(HttpServletRequest req) {
        String method = req.getMethod();
        String path = path(req);
        return (method.equals("GET") || method.equals("HEAD")) && anonymousReads.contains(path)
                || openRoutes.isOpen(method, path);
    }

    private static void refuse(HttpServletResponse resp, String error, String detail) throws IOException {
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"sliceplane\"" + (error.isEmpty() ? "" : ", " + error));
        ApiServlet.sendProblem(resp, Problem.of(401, "unauthorized", "Unauthorized", detail));
    }

    /** The decoded, normalised path the whiteboard dispatches on. */
    static String path(HttpServletRequest req) {
        String servletPath = req.getServletPath();
        String info = req.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
        return path.isEmpty() ? "/" : path;
    }
}
