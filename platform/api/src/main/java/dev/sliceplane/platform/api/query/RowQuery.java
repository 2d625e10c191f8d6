package dev.sliceplane.platform.api.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole query over rows as an HTTP endpoint takes it: {@code select} (comma-separated
 * attributes; all when blank), {@code where}, {@code sort} and {@code limit} (a positive integer
 * up to a maximum the endpoint sets; the maximum when blank). Immutable and thread-safe.
 *
 * @param select the attributes to show, in order
 * @param where  which rows
 * @param sort   their order
 * @param limit  at most this many rows
 */
public record RowQuery(List<String> select, Where where, Sort sort, int limit) {

    public RowQuery {
        select = List.copyOf(select);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /**
     * Parses the four parameters (each may be null) against {@code schema}.
     *
     * @param maxLimit the largest limit allowed, and the limit when none is given
     * @throws InvalidQueryException naming the parameter, the bad term and its position
     */
    public static RowQuery parse(QuerySchema schema, String select, String where, String sort, String limit,
            int maxLimit) {
        return new RowQuery(parseSelect(select, schema), Where.parse(where, schema), Sort.parse(sort, schema),
                parseLimit(limit, maxLimit));
    }

    /** The matching rows, sorted, at most {@link #limit()} of them. */
    public <R extends Row> List<R> apply(Collection<R> rows) {
        List<R> matching = new ArrayList<>();
        for (R row : rows) {
            if (where.matches(row)) {
                matching.add(row);
            }
        }
        matching.sort(sort.comparator());
        return matching.size() > limit ? List.copyOf(matching.subList(0, limit)) : matching;
    }

    /** The selected attributes of {@code row}, in the order selected (absent ones as null). */
    public Map<String, Object> project(Row row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : select) {
            values.put(name, row.attribute(name));
        }
        return values;
    }

    private static List<String> parseSelect(String text, QuerySchema schema) {
        if (text == null || text.isBlank()) {
            return List.copyOf(schema.names());
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (String part : text.split(",", -1)) {
            int position = start + 1 + (part.length() - part.stripLeading().length());
            start += part.length() + 1;
            String name = part.strip();
            if (schema.type(name) == null) {
                throw new InvalidQueryException("select", name, position, name.isEmpty() ? "expected an attribute name"
                        : "unknown attribute '" + name + "' (known: " + String.join(", ", schema.names()) + ")");
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static int parseLimit(String text, int maxLimit) {
        if (text == null || text.isBlank()) {
            return maxLimit;
        }
        String value = text.strip();
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > maxLimit) {
            throw new InvalidQueryException("limit", value, 1, "expected a whole number from 1 to " + maxLimit);
        }
        return Integer.parseInt(value);
    }
}
