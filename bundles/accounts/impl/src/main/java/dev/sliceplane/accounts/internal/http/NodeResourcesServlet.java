package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;


import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.accounts.internal.node.NodeSlicesDocument;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A node's sub-resources on the authority:
 * <ul>
 * <li>{@code POST /api/v1/accounts/nodes/{hostname}/bootstrap-tokens}: a one-time bootstrap
 * token for a registered node (admin; a PI or tech of the node's site), 201
 * {@code {bootstrapToken, expiresAt}}.</li>
 * <li>{@code GET /api/v1/accounts/nodes/{hostname}/slices}: the slices that concern the node
 * with their members' keys (the node itself; admin), with a strong {@code ETag} of the content
 * and 304 when {@code If-None-Match} has it.</li>
 * </ul>
 * Other paths under {@code /nodes/} are 404 here. Not on the whiteboard by itself: one servlet
 * pattern can have only one servlet, so {@link NodesServlet} owns {@code /nodes/*} and hands
 * these two sub-resources to {@link #doGet} and {@link #doPost}, which check who may call them.
 */
public final class NodeResourcesServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/nodes";
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;
    private final transient NodeBootstraps bootstraps;
    private final transient AuthorityComponent authority;
    private final transient NodeSlicesQuery slices;

    public NodeResourcesServlet(Registry registry, NodeBootstraps bootstraps, AuthorityComponent authority) {
        this(registry, bootstraps, authority, Clock.systemUTC());
    }

    NodeResourcesServlet(Registry registry, NodeBootstraps bootstraps, AuthorityComponent authority, Clock clock) {
        this.registry = registry;
        this.bootstraps = bootstraps;
        this.authority = authority;
        this.slices = new NodeSlicesQuery(registry, clock);
    }

    @Override
    @Allow({Roles.ADMIN, Roles.NODE})
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String hostname = hostnameBefore(req, "slices");
        Caller caller = Caller.of(req);
        if (!caller.isAdmin() && !(caller.kind() == Caller.Kind.NODE && caller.id().equals(hostname))) {
            throw RegistryFailures.forbidden("a node's slices are for the node itself and admins");
        }
        List<NodeSlice> concerning;
        try {
            concerning = slices.forNode(hostname);
        } catch (RegistryException e) {
            throw RegistryFailures.problem(e);
        }
        byte[] body = NodeSlicesDocument.write(concerning);
        String etag = ETags.of(body);
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", "private, no-cache");
        if (ETags.matches(req.getHeader("If-None-Match"), etag)) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(ApiPaths.JSON);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI, Roles.TECH})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String hostname = hostnameBefore(req, "bootstrap-tokens");
        Caller caller = Caller.of(req);
        IssuedToken token;
        try {
            Node node = registry.getNode(hostname);
            if (!caller.isAdmin() && !(caller.hasAnyRole(Roles.PI, Roles.TECH) && caller.site().equals(node.site()))) {
                throw RegistryFailures.forbidden("a PI or tech may issue bootstrap tokens only for their own site's nodes");
            }
            token = bootstraps.issue(node.hostname(), caller.name(), authority.bootstrapTokenLifetime());
        } catch (RegistryException e) {
            throw RegistryFailures.problem(e);
        }
        resp.setHeader("Cache-Control", "no-store");
        // Ordered: Map.of iterates in an order that changes from one JVM run to the next.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bootstrapToken", token.token());
        body.put("expiresAt", token.expiresAt().toString());
        writeJson(resp, 201, body);
    }

    /** The host name in {@code <hostname>/<resource>}; 404 for any other path. */
    private static String hostnameBefore(HttpServletRequest req, String resource) {
        String[] parts = subPath(req).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || !parts[1].equals(resource)) {
            throw new ProblemException(Problem.notFound("no such route: " + req.getRequestURI()));
        }
        return parts[0].toLowerCase(Locale.ROOT);
    }
}
