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

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Slices under {@code /api/v1/accounts/slices}: list ({@code ?site=&member=}, showing only what
 * the caller may see, see {@link SliceListing}), add, get, patch ({@code description, url,
 * expires, members, maxSlivers}), delete, and members ({@code PUT} and {@code DELETE
 * .../{name}/members/{email}}, both answering the slice). Who may do what is in {@link AccessRules}.
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern({SlicesServlet.PATH, SlicesServlet.PATH + "/*"})
public final class SlicesServlet extends AccountsServlet {

    static final String PATH = BASE + "/slices";
    static final Set<String> PATCHABLE = Set.of("description", "url", "expires", "members", "maxSlivers");
    private static final long serialVersionUID = 1L;

    private final transient Registry registry;
    private final transient SliceListing listing;

    @Activate
    public SlicesServlet(@Reference Registry registry) {
        this.registry = registry;
        this.listing = new SliceListing(registry);
    }

    @Override
    @Allow({Roles.ADMIN, Roles.TECH, Roles.PI, Roles.USER})
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.isEmpty()) {
                Map<String, String> query = query(req, "site", "member");
                send(resp, 200, listing.visible(caller, new SliceFilter(query.get("site"), query.get("member"))));
            } else if (path.size() == 1) {
                query(req);
                Slice slice = registry.getSlice(path.get(0));
                AccessRules.readSlice(caller, slice);
                send(resp, 200, slice);
            } else {
                throw noRoute(req);
            }
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            if (!segments(req).isEmpty()) {
                throw noRoute(req);
            }
            Caller caller = caller(req);
            ObjectNode body = bodyObject(req);
            if (!body.has("members")) {
                body.putArray("members");
            }
            Slice slice = AccountsJson.convert(body, Slice.class);
            AccessRules.createSlice(caller, slice);
            Slice added = registry.addSlice(slice);
            created(resp, added, "slices", added.name());
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
            Slice current = registry.getSlice(path.get(0));
            AccessRules.manageSlice(caller, current);
            PartialUpdate<Slice> update = PartialUpdate.apply(current, bodyObject(req), PATCHABLE, Slice.class);
            send(resp, 200, registry.updateSlice(update.value()));
        });
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI})
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            List<String> path = segments(req);
            if (!isMember(path)) {
                throw noRoute(req);
            }
            Slice slice = registry.getSlice(path.get(0));
            AccessRules.manageSlice(caller(req), slice);
            send(resp, 200, registry.addMember(slice.name(), path.get(2)));
        });
    }

    /** Deleting a slice, or removing a member (which the member may do themselves: any principal). */
    @Override
    @Allow
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(() -> {
            Caller caller = caller(req);
            List<String> path = segments(req);
            if (path.size() == 1) {
                Slice slice = registry.getSlice(path.get(0));
                AccessRules.manageSlice(caller, slice);
                registry.deleteSlice(slice.name());
                noContent(resp);
            } else if (isMember(path)) {
                Slice slice = registry.getSlice(path.get(0));
                AccessRules.removeMember(caller, slice, path.get(2));
                send(resp, 200, registry.removeMember(slice.name(), path.get(2)));
            } else {
                throw noRoute(req);
            }
        });
    }

    private static boolean isMember(List<String> path) {
        return path.size() == 3 && path.get(1).equals("members");
    }
}
