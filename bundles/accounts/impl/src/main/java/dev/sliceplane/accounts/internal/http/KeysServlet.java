package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Principals' SSH public keys under {@code /api/v1/accounts/keys}: list ({@code ?owner=}), add
 * ({@code {"owner", "key": "<OpenSSH line>"}}), get and delete by fingerprint.
 *
 * <p>A fingerprint ({@code SHA256:} and standard base64) may hold '/' and '+'. The rest of the
 * path after {@code keys/} is the fingerprint, so it may be sent as it is; '-' and '_' are read
 * as '+' and '/' (the URL-safe alphabet, which is what {@code Location} uses, since servers treat
 * an encoded '/' in a path differently).
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern({KeysServlet.PATH, KeysServlet.PATH + "/*"})
public final class KeysServlet extends AccountsServlet {

    static final String PATH = BASE + "/keys";
    private static final long serialVersionUID = 1L;

    /** The body of {@code POST /keys}. */
    record NewKey(String owner, String key) {
    }

    private final transient Registry registry;

    @Activate
    public KeysServlet(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            String fingerprint = fingerprint(req);
            if (fingerprint.isEmpty()) {
                Map<String, String> query = query(req, "owner");
                String owner = query.get("owner");
                if (owner == null) {
                    send(resp, 200, registry.listKeys(caller.isAdmin() ? null : caller.id()));
                } else {
                    AccessRules.readKeysOf(caller, registry.getPrincipal(owner));
                    send(resp, 200, registry.listKeys(owner));
                }
            } else {
                query(req);
                PublicKey key = registry.getKey(fingerprint);
                AccessRules.readKeysOf(caller, registry.getPrincipal(key.owner()));
                send(resp, 200, key);
            }
        });
    }

    @Override
    @Allow
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            if (!fingerprint(req).isEmpty()) {
                throw noRoute(req);
            }
            Caller caller = caller(req);
            NewKey body = body(req, NewKey.class);
            PublicKey key = PublicKey.parse(body.owner(), body.key());
            AccessRules.manageKeysOf(caller, registry.getPrincipal(key.owner()));
            PublicKey added = registry.addKey(key);
            created(resp, added, "keys", urlSafe(added.fingerprint()));
        });
    }

    @Override
    @Allow
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            String fingerprint = fingerprint(req);
            if (fingerprint.isEmpty()) {
                throw noRoute(req);
            }
            PublicKey key = registry.getKey(fingerprint);
            AccessRules.manageKeysOf(caller, registry.getPrincipal(key.owner()));
            registry.deleteKey(key.fingerprint());
            noContent(resp);
        });
    }

    /** The fingerprint in the path in standard base64, or "" for the collection. */
    static String fingerprint(HttpServletRequest req) {
        return subPath(req).replace('-', '+').replace('_', '/');
    }

    static String urlSafe(String fingerprint) {
        return fingerprint.replace('+', '-').replace('/', '_');
    }
}
