package dev.sliceplane.it.bundles.joinprobe;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.platform.api.http.ApiServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Test-only, on the authority: {@code POST /api/v1/it/join?hostname=&site=} registers a site, a
 * user with an SSH key, a slice with that user, and the node, through the {@link Registry};
 * {@code GET /api/v1/it/join?hostname=} answers the node as the registry holds it (without
 * a host name: that the probe is ready). Stands in for
 * the accounts routes another branch is writing.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/join")
public final class JoinProbe extends ApiServlet {

    private static final long serialVersionUID = 1L;
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtxTwcPdBSIPbr7DeQ1BTiYHrvnPS0cXWW1b3bGw7Sb bob@laptop";

    private final transient Registry registry;

    @Activate
    public JoinProbe(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String hostname = req.getParameter("hostname");
        writeJson(resp, 200, hostname == null ? Map.of("ready", true) : registry.getNode(hostname));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String site = req.getParameter("site");
        registry.addSite(new Site(site, "IT site " + site, "", 10));
        String bob = "bob@" + site + ".edu";
        registry.addPrincipal(new Principal(bob, "Bob", site, EnumSet.of(Role.USER), true));
        registry.addKey(PublicKey.parse(bob, KEY));
        registry.addSlice(new Slice(site + "_codeen", "CoDeeN", "", Instant.now().plus(30, ChronoUnit.DAYS),
                Set.of(bob), 100));
        registry.addNode(new Node(req.getParameter("hostname"), site, "", BootState.INSTALL));
        writeJson(resp, 201, Map.of("member", bob));
    }
}
