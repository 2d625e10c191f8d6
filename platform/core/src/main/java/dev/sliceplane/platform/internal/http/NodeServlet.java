package dev.sliceplane.platform.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.internal.node.NodeIdentity;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/node}: identity, version, roles and uptime. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiPaths.PREFIX + "/node")
public final class NodeServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient NodeIdentity node;

    @Activate
    public NodeServlet(@Reference NodeIdentity node) {
        this.node = node;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        writeJson(resp, 200, node.describe());
    }
}
