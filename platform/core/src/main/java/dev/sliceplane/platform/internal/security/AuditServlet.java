package dev.sliceplane.platform.internal.security;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/audit?limit=N}: the latest mutating calls, newest first; administrators only. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiPaths.PREFIX + "/audit")
public final class AuditServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final int DEFAULT_LIMIT = 100;

    private final transient AuditLog audit;

    @Activate
    public AuditServlet(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    @Allow(Roles.ADMIN)
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        writeJson(resp, 200, audit.recent(limit(req.getParameter("limit"))));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.badRequest("limit must be a positive integer, not '" + value + "'")
                .with("field", "limit"));
    }
}
