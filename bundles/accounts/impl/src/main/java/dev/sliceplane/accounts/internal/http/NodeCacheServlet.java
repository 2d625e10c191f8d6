package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.NodeCache;
import dev.sliceplane.accounts.api.NodeCacheStatus;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/accounts/node-cache}, read-only, for operators of a node that has joined an
 * authority: how current its cache is ({@code hostname, authorityUrl, credentialExpiresAt,
 * refreshedAt, ageSeconds, stale, lastError}) and the slices it serves from it. Present only
 * where a {@link NodeCache} is, that is on such a node.
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern(NodeCacheServlet.PATH)
public final class NodeCacheServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/node-cache";
    private static final long serialVersionUID = 1L;

    private final transient NodeCache cache;

    @Activate
    public NodeCacheServlet(@Reference NodeCache cache) {
        this.cache = cache;
    }

    @Override
    @Allow({Roles.ADMIN, Roles.TECH, Roles.NODE_OWNER})
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        NodeCacheStatus status = cache.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", status.hostname());
        body.put("authorityUrl", status.authorityUrl());
        body.put("credentialExpiresAt", status.credentialExpiresAt());
        body.put("refreshedAt", status.refreshedAt());
        body.put("ageSeconds", status.age() == null ? null : status.age().toSeconds());
        body.put("stale", status.stale());
        body.put("lastError", status.lastError());
        body.put("slices", cache.slices());
        resp.setHeader("Cache-Control", "no-store");
        writeJson(resp, 200, body);
    }
}
