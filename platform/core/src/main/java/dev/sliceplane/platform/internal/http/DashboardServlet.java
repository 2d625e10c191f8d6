package dev.sliceplane.platform.internal.http;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Anonymous;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The default servlet: the web dashboard at {@code /} (one static page that reads the JSON API),
 * and a problem body for every path no other servlet claims, so an unknown route is a 404 problem
 * rather than the server's HTML error page.
 */
@Component(service = Servlet.class, property = Anonymous.PROPERTY + "=GET")
@HttpWhiteboardServletPattern("/")
public final class DashboardServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (InputStream page = DashboardServlet.class.getResourceAsStream("/dashboard/index.html")) {
            if (page == null) {
                throw new ProblemException(Problem.notFound("the dashboard is not packaged in this build"));
            }
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Cache-Control", "no-cache");
            page.transferTo(resp.getOutputStream());
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Unknown routes answer 404 whatever the method; only the dashboard itself has a 405.
        if (!isDashboard(req)) {
            sendProblem(resp, Problem.notFound("no resource at " + req.getRequestURI()));
            return;
        }
        super.service(req, resp);
    }

    private static boolean isDashboard(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        return path.equals("/") || path.isEmpty() || path.equals("/index.html");
    }
}
