package dev.sliceplane.platform.internal.http;

import java.io.IOException;
import java.util.Locale;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.internal.swap.BundleInstaller;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bundles: {@code GET /api/v1/bundles[/{id}]}, {@code POST /api/v1/bundles} with the jar as the
 * body (installs it, all or nothing), {@code DELETE /api/v1/bundles/{id}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiPaths.PREFIX + "/bundles", ApiPaths.PREFIX + "/bundles/*"})
public final class BundlesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient BundleViews views;
    private final transient BundleInstaller installer;

    @Activate
    public BundlesServlet(@Reference BundleViews views, @Reference BundleInstaller installer) {
        this.views = views;
        this.installer = installer;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = subPath(req);
        if (path.isEmpty()) {
            writeJson(resp, 200, views.all());
            return;
        }
        long id = bundleId(path);
        writeJson(resp, 200, views.one(id)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no bundle with id " + id))));
    }

    @Override
    @Allow({Roles.ADMIN, Roles.TECH})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!subPath(req).isEmpty()) {
            throw new ProblemException(Problem.notFound("install bundles with POST " + ApiPaths.PREFIX + "/bundles"));
        }
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/java-archive") && !type.startsWith("application/octet-stream")
                && !type.startsWith("application/zip")) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the bundle jar as application/java-archive or application/octet-stream"));
        }
        byte[] jar = req.getInputStream().readAllBytes();
        if (jar.length == 0) {
            throw new ProblemException(Problem.badRequest("the request body is empty; send the bundle jar"));
        }
        Bundle bundle = installer.install(jar);
        resp.setHeader("Location", ApiPaths.PREFIX + "/bundles/" + bundle.getBundleId());
        writeJson(resp, 201, views.one(bundle.getBundleId()).orElseThrow());
    }

    @Override
    @Allow({Roles.ADMIN, Roles.TECH})
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) {
        installer.uninstall(bundleId(subPath(req)));
        resp.setStatus(204);
    }

    private static long bundleId(String path) {
        try {
            return Long.parseLong(path);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.badRequest("'" + path + "' is not a bundle id").with("field", "id"));
        }
    }
}
