package dev.sliceplane.discovery.web.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Executor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.LazyHttpClient;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.AttributeType;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;
import dev.sliceplane.platform.api.query.RowQuery;
import dev.sliceplane.platform.api.query.Sort;
import dev.sliceplane.platform.api.query.Where;
import dev.sliceplane.platform.api.slice.ManagementSlice;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The cluster-wide monitor tables: {@code GET /api/v1/monitor/cluster/slivers}, {@code /slices}
 * ({@code ?select=&where=&sort=&limit=&format=&timeoutMillis=}) and {@code /nodes}. Each asks every
 * ALIVE node of the view for its own table ({@code /api/v1/monitor/slivers}, {@code /slices},
 * {@code /node}) with the caller's {@code Authorization} (else this node's credential), waits at
 * most the deadline, and merges the rows with a {@code node} column first, sorted and limited
 * again across nodes. Nodes that did not answer in time, failed, or are suspected are listed
 * under {@code missing} with the reason. A query every node refuses (400) is answered with the
 * nodes' own problem, which names the bad term.
 */
@Component(service = Servlet.class, configurationPid = ClusterMonitorServlet.PID)
@Designate(ocd = ClusterMonitorServlet.Config.class)
@HttpWhiteboardServletPattern(ClusterMonitorServlet.PATH + "/*")
public final class ClusterMonitorServlet extends ApiServlet {

    static final String PID = "dev.sliceplane.discovery.web";
    static final String PATH = ApiPaths.PREFIX + "/monitor/cluster";
    /** The longest deadline a caller may ask for. */
    static final long MAX_TIMEOUT_MILLIS = 30_000;
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> NODE_ROUTES = Map.of(
            "slivers", "/api/v1/monitor/slivers", "slices", "/api/v1/monitor/slices", "nodes", "/api/v1/monitor/node");

    @ObjectClassDefinition(name = "Sliceplane discovery HTTP API",
            description = "The cluster-wide monitor tables' fan-out to the live nodes.")
    public @interface Config {
        @AttributeDefinition(description = "How long the fan-out waits for all nodes together (ms), unless the "
                + "caller asks for another timeoutMillis (at most 30000).")
        long timeoutMillis() default 2000;
    }

    private final transient ActiveDiscovery discovery;
    private final transient ClusterFanOut fanOut;
    private final transient Duration defaultTimeout;
    private final transient Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile NodeSigner signer;

    @Activate
    public ClusterMonitorServlet(@Reference ActiveDiscovery discovery, @Reference ManagementSlice slice, Config config) {
        this(discovery, slice.executor(), Duration.ofMillis(config.timeoutMillis()), Clock.systemUTC());
    }

    ClusterMonitorServlet(ActiveDiscovery discovery, Executor executor, Duration defaultTimeout, Clock clock) {
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()
                || defaultTimeout.toMillis() > MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("timeoutMillis must be from 1 to " + MAX_TIMEOUT_MILLIS);
        }
        this.discovery = discovery;
        // The nodes' answers are read on the slice's threads, so the fan-out is held to its share.
        // The client is built on the first cluster query, not on the node's start-up path.
        this.fanOut = new ClusterFanOut(new LazyHttpClient(() -> HttpClient.newBuilder().executor(executor)
                .connectTimeout(defaultTimeout).build()), JSON);
        this.defaultTimeout = defaultTimeout;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String route = subPath(req);
        String nodePath = NODE_ROUTES.get(route);
        if (nodePath == null) {
            throw new ProblemException(Problem.notFound("no route GET " + req.getRequestURI()
                    + "; the cluster tables are " + PATH + "/slivers, /slices and /nodes"));
        }
        boolean csv = Tables.csv(req);
        Duration deadline = deadline(req);
        List<String> sortKeys = sortAttributes(req.getParameter("sort"));
        String select = req.getParameter("select");
        List<String> added = new ArrayList<>();
        if (select != null && !select.isBlank()) {
            // Sorting again across nodes needs the sort keys in every row; asked for, then dropped.
            Set<String> selected = new LinkedHashSet<>(List.of(select.split(",")).stream().map(String::strip).toList());
            for (String key : sortKeys) {
                if (selected.add(key)) {
                    added.add(key);
                }
            }
            select = String.join(",", selected);
        }
        String query = route.equals("nodes") ? "" : queryString(select, req);

        List<NodeAdvert> asked = new ArrayList<>();
        List<ClusterFanOut.Missing> missing = new ArrayList<>();
        for (NodeAdvert node : discovery.get().nodes()) {
            if (node.liveness() == Liveness.ALIVE) {
                asked.add(node);
            } else {
                missing.add(new ClusterFanOut.Missing(node.hostname(), "suspect: not asked"));
            }
        }
        ClusterFanOut.Result result = fanOut.ask(asked, nodePath + query, authorization(req), deadline);

        List<String> columns = new ArrayList<>(List.of("node"));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        ClusterFanOut.Answer refused = null;
        for (ClusterFanOut.Answer answer : result.answers()) {
            if (answer.status() != 200 || answer.body() == null) {
                if (answer.status() == 400 && refused == null) {
                    refused = answer;
                }
                missing.add(new ClusterFanOut.Missing(answer.node(), "HTTP " + answer.status()
                        + (answer.body() == null ? "" : ": " + answer.body().path("detail").asText(""))));
                continue;
            }
            answered.add(answer.node());
            addRows(answer, route.equals("nodes"), columns, rows);
        }
        missing.addAll(result.missing());
        if (answered.isEmpty() && refused != null) {
            relay(resp, refused);
            return;
        }
        columns.removeAll(added);
        List<Map<String, Object>> merged = sortAndLimit(rows, columns, added, req);
        if (csv) {
            resp.setHeader("Sliceplane-Missing-Nodes", String.join(",", missing.stream().map(ClusterFanOut.Missing::node).toList()));
            Tables.writeCsv(resp, columns, merged);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", clock.instant().toString());
        body.put("timeoutMillis", deadline.toMillis());
        body.put("columns", columns);
        body.put("rows", merged);
        body.put("answered", answered);
        body.put("missing", missing);
        writeJson(resp, 200, body);
    }

    private Duration deadline(HttpServletRequest req) {
        String text = req.getParameter("timeoutMillis");
        if (text == null || text.isBlank()) {
            return defaultTimeout;
        }
        String value = text.strip();
        if (!value.matches("\\d{1,6}") || Long.parseLong(value) < 1 || Long.parseLong(value) > MAX_TIMEOUT_MILLIS) {
            throw new ProblemException(Problem.badRequest("timeoutMillis must be a whole number from 1 to "
                    + MAX_TIMEOUT_MILLIS).with("parameter", "timeoutMillis").with("term", value));
        }
        return Duration.ofMillis(Long.parseLong(value));
    }

    /** The attribute names of a sort spec ({@code -cpu,name} → cpu, name), checked by the nodes themselves. */
    private static List<String> sortAttributes(String sort) {
        List<String> names = new ArrayList<>();
        if (sort != null && !sort.isBlank()) {
            for (String part : sort.split(",")) {
                String key = part.strip();
                String name = key.startsWith("-") || key.startsWith("+") ? key.substring(1).strip() : key;
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String queryString(String select, HttpServletRequest req) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("select", select);
        for (String name : List.of("where", "sort", "limit")) {
            parameters.put(name, req.getParameter(name));
        }
        parameters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private String authorization(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null && !header.isBlank()) {
            return header;
        }
        NodeSigner current = signer;
        return current == null ? null : "Bearer " + current.credential();
    }

    /** A table route's {@code rows}, or the node route's figures as one row; each row gets {@code node}. */
    private static void addRows(ClusterFanOut.Answer answer, boolean single, List<String> columns,
            List<Map<String, Object>> rows) {
        List<JsonNode> records = new ArrayList<>();
        if (single) {
            records.add(answer.body());
        } else {
            answer.body().path("columns").forEach(c -> addColumn(columns, c.asText()));
            answer.body().path("rows").forEach(records::add);
        }
        for (JsonNode record : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", answer.node());
            for (Iterator<Map.Entry<String, JsonNode>> fields = record.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (single && (field.getValue().isContainerNode() || field.getKey().equals("maxAgeSeconds"))) {
                    continue; // the node route's nested figures do not fit a table
                }
                addColumn(columns, field.getKey());
                row.put(field.getKey(), scalar(field.getValue()));
            }
            rows.add(row);
        }
    }

    private static void addColumn(List<String> columns, String name) {
        if (!columns.contains(name)) {
            columns.add(name);
        }
    }

    private static Object scalar(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The merged rows in the caller's sort order and limit, over a schema typed by the values the nodes sent. */
    private static List<Map<String, Object>> sortAndLimit(List<Map<String, Object>> rows, List<String> columns,
            List<String> dropped, HttpServletRequest req) {
        if (rows.isEmpty()) {
            return List.of(); // no node answered: nothing to sort, and no types to check the sort against
        }
        Map<String, AttributeType> types = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(columns);
        all.addAll(dropped);
        for (String column : all) {
            boolean number = rows.stream().map(r -> r.get(column)).anyMatch(v -> v instanceof Number);
            types.put(column, number ? AttributeType.NUMBER : AttributeType.TEXT);
        }
        QuerySchema schema = QuerySchema.of(types);
        RowQuery query;
        try {
            query = new RowQuery(all, Where.ALL, Sort.parse(req.getParameter("sort"), schema),
                    RowQuery.parse(schema, null, null, null, req.getParameter("limit"), Tables.MAX_ROWS).limit());
        } catch (InvalidQueryException e) {
            throw Tables.invalidQuery(e);
        }
        List<MapRow> wrapped = rows.stream().map(MapRow::new).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (MapRow row : query.apply(wrapped)) {
            Map<String, Object> values = new LinkedHashMap<>(row.values());
            values.keySet().retainAll(columns);
            out.add(values);
        }
        return out;
    }

    private void relay(HttpServletResponse resp, ClusterFanOut.Answer refused) throws IOException {
        resp.setStatus(refused.status());
        resp.setContentType(ApiPaths.PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), refused.body());
    }

    private record MapRow(Map<String, Object> values) implements Row {
        @Override
        public Object attribute(String attribute) {
            return values.get(attribute);
        }
    }
}
