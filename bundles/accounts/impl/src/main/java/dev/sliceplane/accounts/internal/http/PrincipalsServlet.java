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

import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Principals under {@code /api/v1/accounts/principals}: list ({@code ?site=&role=}), add, get,
 * patch ({@code name, site, roles, enabled}) and delete; and, handed to their own classes, a
 * principal's password ({@code PUT .../{email}/password}, {@link PasswordResource}) and API keys
 * ({@code .../{email}/api-keys[/{id}]}, {@link ApiKeysResource}). The object rules are in
 * {@link AccessRules}; handlers that principals without any role may reach (themselves) allow
 * every authenticated caller.
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern({PrincipalsServlet.PATH, PrincipalsServlet.PATH + "/*"})
public final class PrincipalsServlet extends AccountsServlet {

    static final String PATH = BASE + "/principals";
    static final Set<String> PATCHABLE = Set.of("name", "site", "roles", "enabled");
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;
    private final transient PasswordResource password;
    private final transient ApiKeysResource apiKeys;

    @Activate
    public PrincipalsServlet(@Reference Registry registry, @Reference Credentials credentials) {
        this.registry = registry;
        this.password = new PasswordResource(registry, credentials);
        this.apiKeys = new ApiKeysResource(registry, credentials);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.isEmpty()) {
                send(resp, 200, registry.listPrincipals(AccessRules.principalFilter(caller, filter(req))));
            } else if (path.size() == 1) {
                query(req);
                Principal principal = registry.getPrincipal(path.get(0));
                AccessRules.readPrincipal(caller, principal);
                send(resp, 200, principal);
            } else if (isApiKeys(path, 2)) {
                query(req);
                apiKeys.list(caller, path.get(0), resp);
            } else {
                throw noRoute(req);
            }
        });
    }

    @Override
    @Allow
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.isEmpty()) {
                create(caller, req, resp);
            } else if (isApiKeys(path, 2)) {
                apiKeys.create(caller, path.get(0), resp);
            } else {
                throw noRoute(req);
            }
        });
    }

    @Override
    @Allow
    protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.size() != 1) {
                throw noRoute(req);
            }
            Principal current = registry.getPrincipal(path.get(0));
            AccessRules.readPrincipal(caller, current);
            PartialUpdate<Principal> update = PartialUpdate.apply(current, bodyObject(req), PATCHABLE, Principal.class);
            AccessRules.updatePrincipal(caller, current, update.value(), update.changed());
            send(resp, 200, registry.updatePrincipal(update.value()));
        });
    }

    @Override
    @Allow
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (path.size() != 2 || !path.get(1).equals("password")) {
                throw noRoute(req);
            }
            password.put(caller(req), path.get(0), body(req, PasswordResource.Body.class), resp);
        });
    }

    @Override
    @Allow
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.size() == 1) {
                Principal principal = registry.getPrincipal(path.get(0));
                AccessRules.readPrincipal(caller, principal);
                AccessRules.deletePrincipal(caller, principal);
                registry.deletePrincipal(principal.email());
                noContent(resp);
            } else if (isApiKeys(path, 3)) {
                apiKeys.delete(caller, path.get(0), path.get(2), resp);
            } else {
                throw noRoute(req);
            }
        });
    }

    /** POST /principals: enabled unless said otherwise, no roles unless given. */
    private void create(Caller caller, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ObjectNode body = bodyObject(req);
        if (!body.has("enabled")) {
            body.put("enabled", true);
        }
        if (!body.has("roles")) {
            body.putArray("roles");
        }
        Principal principal = AccountsJson.convert(body, Principal.class);
        AccessRules.createPrincipal(caller, principal);
        Principal added = registry.addPrincipal(principal);
        created(resp, added, "principals", added.email());
    }

    private static PrincipalFilter filter(HttpServletRequest req) {
        Map<String, String> query = query(req, "site", "role");
        Role role = null;
        if (query.containsKey("role")) {
            try {
                role = Role.of(query.get("role"));
            } catch (RegistryException e) {
                throw new RegistryException(RegistryException.Reason.INVALID, "role",
                        e.getMessage().replaceFirst("^roles:", "role:"));
            }
        }
        return new PrincipalFilter(query.get("site"), role);
    }

    private static boolean isApiKeys(List<String> path, int size) {
        return path.size() == size && path.get(1).equals(ApiKeysResource.SEGMENT);
    }
}
