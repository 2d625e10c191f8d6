package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeFilter;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Nodes under {@code /api/v1/accounts/nodes}: list ({@code ?site=&bootState=}) and get for any
 * authenticated caller; add, patch ({@code site, identityKey, bootState}) and delete for admins
 * and the PIs and techs of the node's site. A new node without an identity key and boot state
 * starts unregistered in {@code INSTALL}. A node's sub-resources ({@code GET .../{hostname}/slices},
 * {@code POST .../{hostname}/bootstrap-tokens}) are {@link NodeResourcesServlet}'s, handed over
 * from here because this servlet owns the {@code /nodes/*} pattern.
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern({NodesServlet.PATH, NodesServlet.PATH + "/*"})
public final class NodesServlet extends AccountsServlet {

    static final String PATH = BASE + "/nodes";
    static final Set<String> PATCHABLE = Set.of("site", "identityKey", "bootState");
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;
    private final transient NodeResourcesServlet resources;

    @Activate
    public NodesServlet(@Reference Registry registry, @Reference NodeBootstraps bootstraps,
            @Reference AuthorityComponent authority) {
        this(registry, new NodeResourcesServlet(registry, bootstraps, authority));
    }

    NodesServlet(Registry registry, NodeResourcesServlet resources) {
        this.registry = registry;
        this.resources = resources;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            caller(req);
            List<String> path = segments(req);
            if (path.isEmpty()) {
                Map<String, String> query = query(req, "site", "bootState");
                BootState state = query.containsKey("bootState") ? AccountsJson.bootState(query.get("bootState")) : null;
                send(resp, 200, registry.listNodes(new NodeFilter(query.get("site"), state)));
            } else if (path.size() == 1) {
                query(req);
                send(resp, 200, registry.getNode(path.get(0)));
            } else {
                resources.doGet(req, resp); // {hostname}/slices, or 404
            }
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI, Roles.TECH})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            if (!segments(req).isEmpty()) {
                resources.doPost(req, resp); // {hostname}/bootstrap-tokens, or 404
                return;
            }
            Caller caller = caller(req);
            ObjectNode body = bodyObject(req);
            if (!body.has("bootState")) {
                body.put("bootState", BootState.INSTALL.name());
            }
            Node node = AccountsJson.convert(body, Node.class);
            AccessRules.manageNode(caller, node);
            Node added = registry.addNode(node);
            created(resp, added, "nodes", added.hostname());
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI, Roles.TECH})
    protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (path.size() != 1) {
                throw noRoute(req);
            }
            Caller caller = caller(req);
            Node current = registry.getNode(path.get(0));
            AccessRules.manageNode(caller, current);
            PartialUpdate<Node> update = PartialUpdate.apply(current, bodyObject(req), PATCHABLE, Node.class);
            AccessRules.updateNode(caller, current, update.changed());
            send(resp, 200, registry.updateNode(update.value()));
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI, Roles.TECH})
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (path.size() != 1) {
                throw noRoute(req);
            }
            Node node = registry.getNode(path.get(0));
            AccessRules.manageNode(caller(req), node);
            registry.deleteNode(node.hostname());
            noContent(resp);
        });
    }
}
