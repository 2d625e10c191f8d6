package dev.sliceplane.discovery.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sliceplane.platform.api.http.Csv;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The conventions the bundle's table routes share with the monitor's query API: format, CSV, invalid queries. */
final class Tables {

    /** The largest {@code limit}, and the limit when none is given. */
    static final int MAX_ROWS = 100_000;

    private Tables() {
    }

    /** Whether the caller asked for CSV ({@code format=csv}); 400 for a format neither JSON nor CSV. */
    static boolean csv(HttpServletRequest req) {
        String format = req.getParameter("format");
        if (format == null || format.isBlank() || format.equalsIgnoreCase("json")) {
            return false;
        }
        if (format.equalsIgnoreCase("csv")) {
            return true;
        }
        throw new ProblemException(Problem.badRequest("unknown format '" + format + "' (use json or csv)")
                .with("parameter", "format").with("term", format));
    }

    /** The 400 problem for a query that does not parse, naming the parameter, the term and its position. */
    static ProblemException invalidQuery(InvalidQueryException e) {
        return new ProblemException(Problem.of(400, "invalid-query", "Invalid query", e.getMessage())
                .with("parameter", e.parameter()).with("term", e.term()).with("position", e.position()));
    }

    /** Writes rows (each a map in column order) as CSV with a header line. */
    static void writeCsv(HttpServletResponse resp, List<String> columns, List<Map<String, Object>> rows)
            throws IOException {
        Csv csv = new Csv().line(columns);
        for (Map<String, Object> row : rows) {
            List<Object> fields = new ArrayList<>(columns.size());
            for (String column : columns) {
                fields.add(row.get(column));
            }
            csv.line(fields);
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(Csv.MEDIA_TYPE + "; charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
