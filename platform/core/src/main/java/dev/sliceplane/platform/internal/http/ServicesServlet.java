package dev.sliceplane.platform.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.swap.SwapException;
import dev.sliceplane.platform.api.swap.SwapManager;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The sub-service catalogue and live swapping:
 * {@code GET /api/v1/services}, {@code GET /api/v1/services/{service}} and
 * {@code POST /api/v1/services/{service}/swap} with {@code {"implementation": "<symbolic name>"}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiPaths.PREFIX + "/services", ApiPaths.PREFIX + "/services/*"})
public final class ServicesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    /** The body of a swap request. */
    public record SwapRequest(String implementation) {
    }

    private final transient SwapManager swaps;

    @Activate
    public ServicesServlet(@Reference SwapManager swaps) {
        this.swaps = swaps;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = subPath(req);
        if (path.isEmpty()) {
            writeJson(resp, 200, swaps.services());
            return;
        }
        if (path.contains("/")) {
            throw new ProblemException(Problem.notFound("no resource at " + req.getRequestURI()));
        }
        writeJson(resp, 200, swaps.service(path).orElseThrow(() -> unknownService(path)));
    }

    @Override
    @Allow({Roles.ADMIN, Roles.TECH})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] parts = subPath(req).split("/");
        if (parts.length != 2 || !parts[1].equals("swap")) {
            throw new ProblemException(Problem.notFound("no resource at " + req.getRequestURI()
                    + "; swap with POST " + ApiPaths.PREFIX + "/services/{service}/swap"));
        }
        SwapRequest request = readJson(req, SwapRequest.class);
        if (request.implementation() == null || request.implementation().isBlank()) {
            throw new ProblemException(Problem.badRequest("field 'implementation' is required")
                    .with("field", "implementation"));
        }
        try {
            writeJson(resp, 200, swaps.swap(parts[0], request.implementation()));
        } catch (SwapException e) {
            throw new ProblemException(problemFor(e));
        }
    }

    private static ProblemException unknownService(String name) {
        return new ProblemException(Problem.of(404, "unknown-service", "Unknown sub-service",
                "no sub-service named '" + name + "' is installed"));
    }

    private static Problem problemFor(SwapException e) {
        switch (e.reason()) {
            case UNKNOWN_SERVICE: return Problem.of(404, "unknown-service", "Unknown sub-service", e.getMessage());
            case UNKNOWN_IMPLEMENTATION: return Problem.of(422, "unknown-implementation", "Unknown implementation", e.getMessage());
            case CORE_SERVICE: return Problem.of(409, "core-service", "Core sub-service", e.getMessage());
            case ALREADY_ACTIVE: return Problem.of(409, "already-active", "Already active", e.getMessage());
            case TIMEOUT: return Problem.of(503, "swap-timeout", "Swap timed out", e.getMessage());
            default: return Problem.of(422, "swap-failed", "Swap failed", e.getMessage());
        }
    }
}
