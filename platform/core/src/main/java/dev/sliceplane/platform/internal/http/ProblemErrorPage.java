package dev.sliceplane.platform.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Turns every error the HTTP stack itself produces — no route, a failed servlet, a rejected
 * request — into a problem body. Exception messages are never shown: they may carry internals.
 * Errors Jetty raises before any servlet runs are {@link ProblemErrorHandler}'s, with the same types.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx", "java.lang.Throwable"})
public final class ProblemErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 && i <= 599 ? i : 500;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "this path" : uri.toString();
        ApiServlet.sendProblem(resp, problemFor(status, path));
    }

    static Problem problemFor(int status, String path) {
        switch (status) {
            case 400: return Problem.badRequest("the request could not be understood");
            case 404: return Problem.notFound("no resource at " + path);
            case 405: return Problem.of(405, "method-not-allowed", "Method not allowed",
                    "this method is not supported on " + path);
            case 413: return Problem.of(413, "payload-too-large", "Payload too large", "the request body is too large");
            case 414: return Problem.of(414, "uri-too-long", "URI too long", "the request URI is too long");
            case 415: return Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "the request body's media type is not accepted here");
            case 505: return Problem.of(505, "http-version-not-supported", "HTTP version not supported",
                    "the node does not speak the request's HTTP version");
            default:
                if (status < 500) {
                    return Problem.of(status, "client-error", "Client error", "the request was refused");
                }
                return Problem.of(status, "internal-error", "Internal error",
                        "the request failed on the server; the node log has the details");
        }
    }
}
