package dev.sliceplane.discovery.web.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.query.Row;
import dev.sliceplane.platform.api.query.RowQuery;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The discovery routes for any authenticated caller:
 * <ul>
 * <li>{@code GET /api/v1/discovery} — the implementation, the view's size by liveness, this node's liveness;</li>
 * <li>{@code GET /api/v1/discovery/nodes?select=&where=&sort=&limit=&format=} — the view as rows
 * ({@link NodeTable}), in the platform's query language; 400 naming the bad term;</li>
 * <li>{@code GET /api/v1/discovery/self} — this node's own advertisement (404 before it is built).</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({DiscoveryServlet.PATH, DiscoveryServlet.PATH + "/*"})
public final class DiscoveryServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/discovery";
    private static final long serialVersionUID = 1L;

    private final transient ActiveDiscovery discovery;
    private final transient Clock clock;

    @Activate
    public DiscoveryServlet(@Reference ActiveDiscovery discovery) {
        this(discovery, Clock.systemUTC());
    }

    DiscoveryServlet(ActiveDiscovery discovery, Clock clock) {
        this.discovery = discovery;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String route = subPath(req);
        switch (route) {
            case "" -> summary(resp);
            case "nodes" -> nodes(req, resp);
            case "self" -> self(resp);
            default -> throw new ProblemException(Problem.notFound("no route GET " + req.getRequestURI()
                    + "; discovery answers " + PATH + ", " + PATH + "/nodes, /self and /prometheus"));
        }
    }

    private void summary(HttpServletResponse resp) throws IOException {
        Discovery current = discovery.get();
        List<NodeAdvert> nodes = current.nodes();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("mechanism", current.mechanism());
        answer.put("nodes", nodes.size());
        answer.put("alive", nodes.stream().filter(n -> n.liveness() == Liveness.ALIVE).count());
        answer.put("suspect", nodes.stream().filter(n -> n.liveness() == Liveness.SUSPECT).count());
        Optional<NodeAdvert> self = current.self();
        answer.put("self", self.map(NodeAdvert::hostname).orElse(null));
        // Spelled as the node table spells liveness, so one query term fits both.
        answer.put("selfLiveness", self.map(s -> current.node(s.hostname()).map(NodeAdvert::liveness)
                .orElse(s.liveness()).name().toLowerCase(Locale.ROOT)).orElse(null));
        answer.put("counters", current.counters().map(DiscoveryServlet::counters).orElse(null));
        writeJson(resp, 200, answer);
    }

    /** The counts as JSON; one the implementation does not keep is left out. */
    private static Map<String, Long> counters(DiscoveryCounters counts) {
        Map<String, Long> shown = new LinkedHashMap<>();
        shown.put("advertsReceived", counts.advertsReceived());
        shown.put("advertsRejected", counts.advertsRejected());
        shown.put("declaredDead", counts.declaredDead());
        shown.put("bytesSent", counts.bytesSent());
        shown.put("bytesReceived", counts.bytesReceived());
        shown.values().removeIf(value -> value == DiscoveryCounters.NOT_COUNTED);
        return shown;
    }

    private void nodes(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean csv = Tables.csv(req);
        RowQuery query;
        try {
            query = RowQuery.parse(NodeTable.SCHEMA, req.getParameter("select"), req.getParameter("where"),
                    req.getParameter("sort"), req.getParameter("limit"), Tables.MAX_ROWS);
        } catch (InvalidQueryException e) {
            throw Tables.invalidQuery(e);
        }
        Discovery current = discovery.get();
        Instant now = clock.instant();
        List<Row> all = new ArrayList<>();
        for (NodeAdvert node : current.nodes()) {
            all.add(NodeTable.row(node, now));
        }
        List<Map<String, Object>> rows = query.apply(all).stream().map(query::project).toList();
        if (csv) {
            Tables.writeCsv(resp, query.select(), rows);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("at", now.toString());
        answer.put("mechanism", current.mechanism());
        answer.put("columns", query.select());
        answer.put("rows", rows);
        writeJson(resp, 200, answer);
    }

    private void self(HttpServletResponse resp) throws IOException {
        NodeAdvert self = discovery.get().self().orElseThrow(() -> new ProblemException(Problem.notFound(
                "this node has not built its advertisement yet (no node credential or no monitor sample)")));
        writeJson(resp, 200, self);
    }
}
