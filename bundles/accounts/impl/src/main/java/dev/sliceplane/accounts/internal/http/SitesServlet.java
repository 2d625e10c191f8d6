package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sites: {@code GET /sites}, {@code POST /sites} (admin), {@code GET /sites/{loginBase}},
 * {@code PATCH /sites/{loginBase}} (admin; a PI of the site for name and url),
 * {@code DELETE /sites/{loginBase}} (admin), under {@code /api/v1/accounts}.
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern({SitesServlet.PATH, SitesServlet.PATH + "/*"})
public final class SitesServlet extends AccountsServlet {

    static final String PATH = BASE + "/sites";
    static final Set<String> PATCHABLE = Set.of("name", "url", "maxSlices");
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;

    @Activate
    public SitesServlet(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            caller(req);
            query(req);
            List<String> path = segments(req);
            if (path.isEmpty()) {
                send(resp, 200, registry.listSites());
            } else if (path.size() == 1) {
                send(resp, 200, registry.getSite(path.get(0)));
            } else {
                throw noRoute(req);
            }
        });
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            if (!segments(req).isEmpty()) {
                throw noRoute(req);
            }
            AccessRules.createSite(caller(req));
            Site site = registry.addSite(body(req, Site.class));
            created(resp, site, "sites", site.loginBase());
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI})
    protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (path.size() != 1) {
                throw noRoute(req);
            }
            Caller caller = caller(req);
            Site current = registry.getSite(path.get(0));
            PartialUpdate<Site> update = PartialUpdate.apply(current, bodyObject(req), PATCHABLE, Site.class);
            AccessRules.updateSite(caller, current, update.changed());
            send(resp, 200, registry.updateSite(update.value()));
        });
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (path.size() != 1) {
                throw noRoute(req);
            }
            AccessRules.deleteSite(caller(req));
            registry.deleteSite(path.get(0));
            noContent(resp);
        });
    }
}
