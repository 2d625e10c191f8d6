package dev.sliceplane.platform.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.internal.health.HealthAggregator;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/health}: the aggregate of every health check. 200 while the node is UP (or
 * only WARN), 503 while it is DOWN or still STARTING, so load balancers and probes can use it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiPaths.PREFIX + "/health")
public final class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthAggregator health;

    @Activate
    public HealthServlet(@Reference HealthAggregator health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HealthAggregator.Report report = health.report();
        boolean serving = report.status() == HealthStatus.UP || report.status() == HealthStatus.WARN;
        resp.setHeader("Cache-Control", "no-store");
        writeJson(resp, serving ? 200 : 503, report);
    }
}
