package dev.sliceplane.agent.internal.agent;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.query.Row;
import dev.sliceplane.platform.api.query.RowQuery;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The agent's routes under {@code /api/v1/agent}: {@code POST reports} (nodes, each for itself;
 * the answer {@code {"interval","revoked":[{"ticket","expires"}],"time":<the agent's clock, epoch ms>}}),
 * {@code GET nodes[?where=&sort=&limit=]} and {@code GET certificate} (any authenticated caller), {@code GET
 * tickets?slice=} (members, PIs of the slice's site, admins; admins may omit the slice) and
 * {@code DELETE tickets/{id}} (revoke: admins and PIs of the slice's site).
 */
@Component(enabled = false, service = Servlet.class) // enabled by AgentComponent where the agent runs
@HttpWhiteboardServletPattern(AgentServlet.PATH + "/*")
public final class AgentServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/agent";
    /** The most nodes a query of {@code GET nodes} may ask for. */
    static final int MAX_NODES = 100_000;
    private static final long serialVersionUID = 1L;

    /** The request body of a report. */
    record ReportRequest(String report) {
    }

    private final transient TicketAgent agent;
    private final transient SliceDirectory slices;

    @Activate
    public AgentServlet(@Reference AgentComponent component) {
        this(component.agent(), component.slices());
    }

    AgentServlet(TicketAgent agent, SliceDirectory slices) {
        this.agent = agent;
        this.slices = slices;
    }

    @Override
    @Allow(Roles.NODE)
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!subPath(req).equals("reports")) {
            throw noRoute(req);
        }
        Caller caller = Caller.of(req);
        if (caller.kind() != Caller.Kind.NODE) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden",
                    "only a node reports its capacity, with its node credential"));
        }
        ReportRequest body = readJson(req, ReportRequest.class);
        if (body.report() == null || body.report().isBlank()) {
            throw new ProblemException(Problem.badRequest("report is required: the capacity report JWS"));
        }
        try {
            ReportAnswer answer = agent.accept(caller.id(), body.report());
            // "time": the agent's clock as it answers, so the node can estimate its clock offset.
            writeJson(resp, 200, Map.of("interval", answer.interval().toString(), "revoked", answer.revoked(),
                    "time", answer.time().toEpochMilli()));
        } catch (DeniedException e) {
            throw Problems.of(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (subPath(req)) {
            case "nodes" -> writeJson(resp, 200, nodes(req));
            case "certificate" -> writeJson(resp, 200, Map.of("certificate", agent.certificate()));
            case "tickets" -> writeJson(resp, 200, tickets(Caller.of(req), req.getParameter("slice")));
            default -> throw noRoute(req);
        }
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI})
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = subPath(req);
        if (!path.startsWith("tickets/") || path.indexOf('/', "tickets/".length()) >= 0) {
            throw noRoute(req);
        }
        String id = path.substring("tickets/".length());
        var ticket = agent.ticket(id)
                .orElseThrow(() -> new ProblemException(Problem.notFound("the agent knows no ticket " + id)));
        Caller caller = Caller.of(req);
        if (!SliceAccess.managesSite(caller, ticket.slice())) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden", caller.name()
                    + " may not revoke tickets of slice " + ticket.slice() + ": only admins and PIs of its site may"));
        }
        agent.revoke(id);
        resp.setStatus(204);
    }

    /** The advertised nodes, narrowed by the query language ({@code ?where=&sort=&limit=}) when asked. */
    private List<NodeView> nodes(HttpServletRequest req) {
        List<NodeView> nodes = agent.nodes();
        if (req.getParameter("where") == null && req.getParameter("sort") == null && req.getParameter("limit") == null) {
            return nodes;
        }
        try {
            RowQuery query = RowQuery.parse(NodeAttributes.SCHEMA, null, req.getParameter("where"),
                    req.getParameter("sort"), req.getParameter("limit"), MAX_NODES);
            Map<Row, NodeView> rows = new LinkedHashMap<>();
            nodes.forEach(node -> rows.put(NodeAttributes.of(node), node));
            return query.apply(List.copyOf(rows.keySet())).stream().map(rows::get).toList();
        } catch (InvalidQueryException e) {
            throw Problems.of(e, "agent");
        }
    }

    private List<Map<String, Object>> tickets(Caller caller, String slice) {
        if (slice == null || slice.isBlank()) {
            if (!caller.isAdmin()) {
                throw new ProblemException(Problem.badRequest("slice is required: ?slice=<name>"));
            }
            slice = null;
        } else if (!SliceAccess.managesSite(caller, slice)) {
            try {
                SliceAccess.usable(caller, slice, slices, "agent");
            } catch (DeniedException e) {
                throw Problems.of(e);
            }
        }
        Instant now = agent.now();
        return agent.tickets(slice).stream().map(t -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", t.id());
            view.put("slice", t.slice());
            view.put("node", t.node());
            view.put("resources", t.resources());
            view.put("notBefore", t.notBefore());
            view.put("expires", t.expires());
            view.put("issuedAt", t.issuedAt());
            view.put("state", t.state(now));
            return view;
        }).toList();
    }

    private static ProblemException noRoute(HttpServletRequest req) {
        return new ProblemException(Problem.notFound("no route " + req.getMethod() + " " + req.getRequestURI()));
    }
}
