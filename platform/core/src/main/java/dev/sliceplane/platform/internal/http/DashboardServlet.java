package dev.sliceplane.platform.internal.http;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The web dashboard at {@code /}: one static page that reads the JSON API. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"", "/index.html"})
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
}
