package dev.sliceplane.discovery.web.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.security.Anonymous;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/discovery/prometheus}: Prometheus HTTP service discovery
 * ({@code http_sd_configs}), one target group per ALIVE node with an address:
 * {@code [{"targets":["host:port"],"labels":{"__scheme__","__metrics_path__":"/metrics","site","hostname"}}]}.
 * Open to anonymous GET, like {@code /metrics} itself, so a Prometheus needs no credential.
 */
@Component(service = Servlet.class, property = Anonymous.PROPERTY + "=GET")
@HttpWhiteboardServletPattern(PrometheusTargetsServlet.PATH)
public final class PrometheusTargetsServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/discovery/prometheus";
    private static final long serialVersionUID = 1L;

    private final transient ActiveDiscovery discovery;

    @Activate
    public PrometheusTargetsServlet(@Reference ActiveDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        writeJson(resp, 200, targets(discovery.get().nodes()));
    }

    static List<Map<String, Object>> targets(List<NodeAdvert> nodes) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (NodeAdvert node : nodes) {
            URI url = node.url();
            if (node.liveness() != Liveness.ALIVE || url == null || url.getHost() == null) {
                continue;
            }
            String scheme = url.getScheme() == null ? "http" : url.getScheme();
            int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("__scheme__", scheme);
            labels.put("__metrics_path__", "/metrics");
            labels.put("site", node.site());
            labels.put("hostname", node.hostname());
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(url.getHost() + ":" + port));
            group.put("labels", labels);
            groups.add(group);
        }
        return groups;
    }
}
