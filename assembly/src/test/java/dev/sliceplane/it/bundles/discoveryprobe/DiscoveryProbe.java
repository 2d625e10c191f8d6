package dev.sliceplane.it.bundles.discoveryprobe;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.platform.api.http.ApiServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Test-only: {@code GET /api/v1/it/discovery} answers this node's JGroups {@link Discovery} view as
 * {@code {"mechanism", "self", "nodes": [{"hostname", "liveness", "health"}]}} (503 while no
 * implementation runs).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/discovery")
public final class DiscoveryProbe extends ApiServlet {

    private static final long serialVersionUID = 1L;

    /**
     * The JGroups implementation whichever is active: rewriting its etc/ file (as the IT does)
     * replaces the service.ranking the swap manager configured, so the registry may rank first.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(mechanism=jgroups)")
    private volatile Discovery discovery;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Discovery current = discovery;
        if (current == null) {
            writeJson(resp, 503, Map.of("mechanism", "none"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mechanism", current.mechanism());
        body.put("self", current.self().map(self -> self.hostname()).orElse(""));
        List<Map<String, Object>> nodes = current.nodes().stream().map(node -> Map.<String, Object>of(
                "hostname", node.hostname(), "liveness", node.liveness().name(), "health", String.valueOf(node.health()),
                "url", String.valueOf(node.url()))).toList();
        body.put("nodes", nodes);
        writeJson(resp, 200, body);
    }
}
