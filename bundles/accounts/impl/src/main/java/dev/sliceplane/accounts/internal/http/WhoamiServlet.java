package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/accounts/whoami}: who the token says the caller is ({@code kind, id, site,
 * roles, expiresAt}), and for a principal their registry record as it is now, under
 * {@code principal} (absent when the principal was deleted after the token was issued).
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern(WhoamiServlet.PATH)
public final class WhoamiServlet extends AccountsServlet {

    static final String PATH = BASE + "/whoami";
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;

    @Activate
    public WhoamiServlet(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            if (!segments(req).isEmpty()) {
                throw noRoute(req);
            }
            query(req);
            Caller caller = caller(req);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", caller.kind());
            body.put("id", caller.id());
            body.put("site", caller.site());
            body.put("roles", new TreeSet<>(caller.roles()));
            body.put("expiresAt", caller.expiresAt());
            if (caller.kind() == Caller.Kind.PRINCIPAL) {
                try {
                    body.put("principal", registry.getPrincipal(caller.id()));
                } catch (RegistryException e) {
                    if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            send(resp, 200, body);
        });
    }
}
