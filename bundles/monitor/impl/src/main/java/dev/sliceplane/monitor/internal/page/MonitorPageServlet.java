package dev.sliceplane.monitor.internal.page;

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
 * The monitor's web page at {@code /monitor}: CoMon's tables for one node (the node's figures,
 * its slivers sortable and filtered with the query language, a sliver's CPU history, the
 * management slices). The page is static and reads {@code /api/v1/monitor/*} with the access
 * token the node dashboard's sign-in keeps, so the page itself is open and the data is not.
 * It belongs to this bundle, so swapping the monitor swaps its page too.
 */
@Component(service = Servlet.class, property = Anonymous.PROPERTY + "=GET")
@HttpWhiteboardServletPattern("/monitor")
public final class MonitorPageServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (InputStream page = MonitorPageServlet.class.getResourceAsStream("/monitor/index.html")) {
            if (page == null) {
                throw new ProblemException(Problem.notFound("the monitor page is not packaged in this build"));
            }
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Cache-Control", "no-cache");
            page.transferTo(resp.getOutputStream());
        }
    }
}
