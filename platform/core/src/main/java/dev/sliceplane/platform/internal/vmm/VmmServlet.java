package dev.sliceplane.platform.internal.vmm;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/vmm} (backend, capacity, node status) and
 * {@code GET /api/v1/vmm/slivers[/{name}]} (slivers with limits, programs and latest usage).
 * Read-only: slivers are made through the node manager's leases, or the shell on the node.
 * The VMM is optional so a node without one still serves every other route.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiPaths.PREFIX + "/vmm", ApiPaths.PREFIX + "/vmm/*"})
public final class VmmServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient Vmm vmm;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Vmm current = vmm;
        if (current == null) {
            throw new ProblemException(Problem.of(503, "vmm-unavailable", "VMM unavailable",
                    "no VMM backend is running on this node; see the node's log for why"));
        }
        String path = subPath(req);
        Optional<VmmSnapshot> sample = current.lastSample();
        if (path.isEmpty()) {
            writeJson(resp, 200, VmmViews.overview(current, sample));
        } else if (path.equals("slivers")) {
            List<SliverInfo> slivers = current.list();
            writeJson(resp, 200, slivers.stream().map(s -> VmmViews.sliver(s, sample)).toList());
        } else if (path.startsWith("slivers/") && path.indexOf('/', 8) < 0) {
            String name = path.substring(8);
            SliverInfo sliver = current.find(name).orElseThrow(
                    () -> new ProblemException(Problem.notFound("no sliver named '" + name + "' on this node")));
            writeJson(resp, 200, VmmViews.sliver(sliver, sample));
        } else {
            throw new ProblemException(Problem.notFound("no VMM resource at '" + path + "'"));
        }
    }
}
