package dev.sliceplane.it.bundles.accountsprobe;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.platform.api.http.ApiServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Test-only: {@code POST /api/v1/it/accounts/principal?email=&site=} adds a site (if new) and a
 * PI there through the {@link Registry}, creates an API key for it through {@link Credentials},
 * and answers {@code {"apiKey": ...}}. Stands in for the accounts HTTP API that is not written yet.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/accounts/*")
public final class AccountsProbe extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient Registry registry;
    private final transient Credentials credentials;

    @Activate
    public AccountsProbe(@Reference Registry registry, @Reference Credentials credentials) {
        this.registry = registry;
        this.credentials = credentials;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        writeJson(resp, 200, Map.of("ready", true));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String email = req.getParameter("email");
        String site = req.getParameter("site");
        if (registry.listSites().stream().noneMatch(s -> s.loginBase().equals(site))) {
            registry.addSite(new Site(site, "IT site " + site, "", 10));
        }
        registry.addPrincipal(new Principal(email, "IT principal", site, EnumSet.of(Role.PI, Role.USER), true));
        NewApiKey key = credentials.createApiKey(email);
        writeJson(resp, 200, Map.of("apiKey", key.secret(), "id", key.info().id()));
    }
}
