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
import dev.sliceplane.platform.api.slice.SliceRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/slices[/{name}]}: management slices with their limits and usage. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiPaths.PREFIX + "/slices", ApiPaths.PREFIX + "/slices/*"})
public final class SlicesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient SliceRegistry slices;

    @Activate
    public SlicesServlet(@Reference SliceRegistry slices) {
        this.slices = slices;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = subPath(req);
        if (name.isEmpty()) {
            writeJson(resp, 200, slices.slices());
            return;
        }
        writeJson(resp, 200, slices.slice(name)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no management slice named '" + name + "'"))));
    }
}
