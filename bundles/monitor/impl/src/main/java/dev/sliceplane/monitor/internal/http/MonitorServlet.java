package dev.sliceplane.monitor.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.internal.store.MonitorComponent;
import dev.sliceplane.monitor.internal.store.SampleTiming;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Csv;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.query.Row;
import dev.sliceplane.platform.api.query.RowQuery;
import dev.sliceplane.platform.api.security.Allow;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The monitor's query API for researchers and operators, open to any authenticated caller:
 * <ul>
 * <li>{@code GET /api/v1/monitor/node} — the node's latest figures;</li>
 * <li>{@code GET /api/v1/monitor/slivers?select=&where=&sort=&limit=} — live slivers as rows;</li>
 * <li>{@code GET /api/v1/monitor/slices?...} — management slices as rows;</li>
 * <li>{@code GET /api/v1/monitor/history?scope=&subject=&metric=&resolution=} — one series' points.</li>
 * </ul>
 * JSON by default, CSV with {@code format=csv}. Every answer says how long it stays true
 * ({@code Cache-Control: max-age}, {@code maxAgeSeconds}): until the next sample is due. Before
 * the first sample: 503 with {@code Retry-After}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({MonitorServlet.PATH, MonitorServlet.PATH + "/*"})
public final class MonitorServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/monitor";
    /** The largest {@code limit}, and the limit when none is given. */
    static final int MAX_ROWS = 100_000;
    private static final long serialVersionUID = 1L;
    /** {@code Cache-Control} values of the common ages, made once. */
    private static final String[] MAX_AGE = new String[121];
    private static final String JSON_UTF8 = ApiPaths.JSON + ";charset=utf-8";
    private static final String CSV_UTF8 = Csv.MEDIA_TYPE + ";charset=utf-8";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    static {
        for (int i = 0; i < MAX_AGE.length; i++) {
            MAX_AGE[i] = "max-age=" + i;
        }
    }

    private final transient Monitor monitor;
    private final transient SampleTiming timing;
    private final transient Clock clock;
    private final transient SliverTable slivers;
    private final transient SliceTable slices;
    private final transient RenderedBodies rendered = new RenderedBodies();

    @Activate
    public MonitorServlet(@Reference MonitorComponent monitor) {
        this(monitor, monitor.store(), Clock.systemUTC());
    }

    MonitorServlet(Monitor monitor, SampleTiming timing, Clock clock) {
        this.monitor = monitor;
        this.timing = timing;
        this.clock = clock;
        this.slivers = new SliverTable(monitor);
        this.slices = new SliceTable(monitor);
    }

    @Override
    @Allow
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String route = subPath(req);
        switch (route) {
            case "node" -> node(resp, latest(resp), csv(req));
            case "slivers" -> rows(req, resp, route, slivers, latest(resp));
            case "slices" -> rows(req, resp, route, slices, latest(resp));
            case "history" -> history(req, resp, latest(resp), csv(req));
            default -> throw new ProblemException(Problem.notFound("no route GET " + req.getRequestURI()
                    + "; the monitor answers " + PATH + "/node, /slivers, /slices and /history"));
        }
    }

    private static boolean csv(HttpServletRequest req) {
        String format = req.getParameter("format");
        if (format == null || format.isBlank() || format.equalsIgnoreCase("json")) {
            return false;
        }
        if (format.equalsIgnoreCase("csv")) {
            return true;
        }
        throw new ProblemException(Problem.badRequest("unknown format '" + format + "' (use json or csv)")
                .with("parameter", "format"));
    }

    /** The latest sample's node figures (its time, whether simulated); 503 with Retry-After before the first. */
    private NodeFigures latest(HttpServletResponse resp) {
        Optional<NodeFigures> node = monitor.node();
        if (node.isEmpty()) {
            long retry = Math.max(1, (timing.samplePeriod().toMillis() + 999) / 1000);
            resp.setHeader("Retry-After", Long.toString(retry)); // kept: a problem resets the body only
            throw new ProblemException(Problem.of(503, "no-sample-yet", "No sample yet", "the monitor has not "
                    + "received a sample from the VMM yet; retry in " + retry + " s"));
        }
        return node.get();
    }

    private void node(HttpServletResponse resp, NodeFigures node, boolean csv) throws IOException {
        long maxAge = maxAgeSeconds();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("at", node.at().toString());
        answer.put("maxAgeSeconds", maxAge);
        Map<String, Object> figures = JSON.convertValue(node, MAP);
        figures.remove("at");
        answer.putAll(figures);
        answer.put("memUsed", node.memUsed());
        answer.put("diskUsed", node.diskUsed());
        if (csv) {
            List<String> columns = new ArrayList<>(answer.keySet());
            columns.remove("maxAgeSeconds");
            writeCsv(resp, maxAge, new Csv().line(columns).line(columns.stream().map(answer::get).toList()));
        } else {
            cacheFor(resp, maxAge);
            writeJson(resp, 200, answer);
        }
    }

    private <F> void rows(HttpServletRequest req, HttpServletResponse resp, String route, Table<F> table,
            NodeFigures sample) throws IOException {
        String key = route + '?' + (req.getQueryString() == null ? "" : req.getQueryString());
        RenderedBodies.Answer answer = rendered.get(key, sample.at());
        if (answer == null) {
            answer = render(req, table, sample);
            rendered.put(key, answer);
        }
        long maxAge = maxAgeSeconds();
        cacheFor(resp, maxAge);
        resp.setStatus(200);
        resp.setContentType(answer.csv() ? CSV_UTF8 : JSON_UTF8);
        byte[] age = answer.csv() ? new byte[0] : Long.toString(maxAge).getBytes(StandardCharsets.US_ASCII);
        resp.setContentLength(answer.head().length + age.length + answer.body().length);
        var out = resp.getOutputStream();
        out.write(answer.head());
        out.write(age);
        out.write(answer.body());
    }

    private <F> RenderedBodies.Answer render(HttpServletRequest req, Table<F> table, NodeFigures sample)
            throws IOException {
        boolean csv = csv(req);
        RowQuery query;
        try {
            query = RowQuery.parse(table.schema(), req.getParameter("select"), req.getParameter("where"),
                    req.getParameter("sort"), req.getParameter("limit"), MAX_ROWS);
        } catch (InvalidQueryException e) {
            throw invalidQuery(e);
        }
        List<Row> all = new ArrayList<>();
        for (F record : table.records()) {
            all.add(table.row(record, sample.at()));
        }
        List<Row> rows = query.apply(all);
        if (csv) {
            return new RenderedBodies.Answer(sample.at(), true, new byte[0], csvRows(query, rows));
        }
        byte[] head = ("{\"at\":\"" + sample.at() + "\",\"maxAgeSeconds\":").getBytes(StandardCharsets.UTF_8);
        return new RenderedBodies.Answer(sample.at(), false, head, jsonRowsTail(query, rows, sample.simulated()));
    }

    /** The rows' JSON after {@code "maxAgeSeconds":N}, which changes while the rows do not. */
    private static byte[] jsonRowsTail(RowQuery query, List<Row> rows, boolean simulated) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows.size() * 64 * query.select().size() / 4);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField("simulated", simulated);
            json.writeArrayFieldStart("columns");
            for (String column : query.select()) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            for (Row row : rows) {
                json.writeStartObject();
                for (String column : query.select()) {
                    json.writeFieldName(column);
                    writeValue(json, row.attribute(column));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        byte[] tail = out.toByteArray();
        tail[0] = ','; // the object continues the head
        return tail;
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Long || value instanceof Integer) {
            json.writeNumber(((Number) value).longValue());
        } else {
            json.writeString(value.toString());
        }
    }

    private static byte[] csvRows(RowQuery query, List<Row> rows) {
        Csv csv = new Csv().line(query.select());
        List<Object> fields = new ArrayList<>(query.select().size());
        for (Row row : rows) {
            fields.clear();
            for (String column : query.select()) {
                fields.add(row.attribute(column));
            }
            csv.line(fields);
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void history(HttpServletRequest req, HttpServletResponse resp, NodeFigures node, boolean csv)
            throws IOException {
        String scopeName = parameter(req, "scope", "node");
        Series.Scope scope;
        try {
            scope = Series.Scope.valueOf(scopeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badParameter("scope", scopeName, "unknown scope '" + scopeName + "' (use node, sliver or slice)");
        }
        String subject = parameter(req, "subject", scope == Series.Scope.NODE ? node.hostname() : null);
        if (subject == null) {
            throw badParameter("subject", "", "a " + scopeName + "'s history needs subject=<name>");
        }
        String metric = parameter(req, "metric", null);
        if (metric == null) {
            throw badParameter("metric", "", "history needs metric=<name>");
        }
        String label = parameter(req, "resolution", Resolution.TEN_SECONDS.label());
        Resolution resolution = Resolution.ofLabel(label);
        if (resolution == null) {
            throw badParameter("resolution", label, "unknown resolution '" + label + "' (use 10s or 5m)");
        }
        History history;
        try {
            history = monitor.history(new Series(scope, subject, metric), resolution);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.notFound("no history of " + scope.name().toLowerCase(Locale.ROOT)
                    + " '" + subject + "' metric '" + metric + "': " + e.getMessage()));
        }
        long maxAge = maxAgeSeconds();
        if (csv) {
            Csv out = new Csv().line(List.of("start", "min", "avg", "max", "samples"));
            for (History.Point p : history.points()) {
                out.line(List.of(p.start(), p.min(), p.avg(), p.max(), p.samples()));
            }
            writeCsv(resp, maxAge, out);
            return;
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("scope", scope.name().toLowerCase(Locale.ROOT));
        series.put("subject", subject);
        series.put("metric", metric);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("at", node.at().toString());
        answer.put("maxAgeSeconds", maxAge);
        answer.put("series", series);
        answer.put("resolution", resolution.label());
        answer.put("points", history.points());
        cacheFor(resp, maxAge);
        writeJson(resp, 200, answer);
    }

    private static String parameter(HttpServletRequest req, String name, String fallback) {
        String value = req.getParameter(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private void writeCsv(HttpServletResponse resp, long maxAge, Csv csv) throws IOException {
        cacheFor(resp, maxAge);
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(CSV_UTF8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** Whole seconds until the next sample is due (rounded down, so no cache outlives the figures), at least 0. */
    private long maxAgeSeconds() {
        return timing.nextSampleDue().map(due -> Math.max(0, Duration.between(clock.instant(), due).getSeconds()))
                .orElse(0L);
    }

    private static void cacheFor(HttpServletResponse resp, long maxAge) {
        resp.setHeader("Cache-Control", maxAge < MAX_AGE.length ? MAX_AGE[(int) maxAge] : "max-age=" + maxAge);
    }

    private static ProblemException invalidQuery(InvalidQueryException e) {
        return new ProblemException(Problem.of(400, "invalid-query", "Invalid query", e.getMessage())
                .with("parameter", e.parameter()).with("term", e.term()).with("position", e.position()));
    }

    private static ProblemException badParameter(String parameter, String term, String detail) {
        return new ProblemException(Problem.badRequest(detail).with("parameter", parameter).with("term", term));
    }
}
