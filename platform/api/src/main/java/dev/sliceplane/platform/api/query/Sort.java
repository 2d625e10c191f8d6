package dev.sliceplane.platform.api.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed sort spec: comma-separated attributes, each optionally prefixed by {@code -}
 * (descending) or {@code +} (ascending, the default): {@code -cpu_free,hostname}. Rows without a
 * key's attribute sort after those with it, whatever the direction. Immutable and thread-safe.
 */
public final class Sort {

    /** More keys are refused. */
    public static final int MAX_KEYS = 16;
    /** Keeps rows in the order given. */
    public static final Sort NONE = new Sort(List.of());

    private static final String PARAMETER = "sort";

    private final List<SortKey> keys;

    private Sort(List<SortKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Parses {@code text} against {@code schema}; null or blank is {@link #NONE}.
     *
     * @throws InvalidQueryException naming the bad key and its position
     */
    public static Sort parse(String text, QuerySchema schema) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        if (text.length() > Where.MAX_LENGTH) {
            throw new InvalidQueryException(PARAMETER, "", Where.MAX_LENGTH + 1,
                    "the sort spec is longer than " + Where.MAX_LENGTH + " characters");
        }
        List<SortKey> keys = new ArrayList<>();
        int start = 0;
        for (String part : text.split(",", -1)) {
            int position = start + 1 + (part.length() - part.stripLeading().length());
            start += part.length() + 1;
            String key = part.strip();
            if (keys.size() == MAX_KEYS) {
                throw new InvalidQueryException(PARAMETER, key, position, "more than " + MAX_KEYS + " sort keys");
            }
            boolean descending = key.startsWith("-");
            String name = key.startsWith("-") || key.startsWith("+") ? key.substring(1) : key;
            if (name.isEmpty()) {
                throw new InvalidQueryException(PARAMETER, key, position, "expected an attribute name");
            }
            AttributeType type = schema.type(name);
            if (type == null) {
                throw new InvalidQueryException(PARAMETER, key, position, "unknown attribute '" + name
                        + "' (known: " + String.join(", ", schema.names()) + ")");
            }
            keys.add(new SortKey(name, type, descending));
        }
        return new Sort(keys);
    }

    /** A sort by these keys, for callers that build their default order in code. */
    public static Sort of(List<SortKey> keys) {
        return new Sort(keys);
    }

    public List<SortKey> keys() {
        return keys;
    }

    /** The order of this sort; rows equal on every key compare equal (a stable sort keeps their order). */
    public <R extends Row> Comparator<R> comparator() {
        Comparator<R> order = (a, b) -> 0;
        for (SortKey key : keys) {
            order = order.thenComparing((a, b) -> compare(key, a.attribute(key.attribute()), b.attribute(key.attribute())));
        }
        return order;
    }

    private static int compare(SortKey key, Object a, Object b) {
        Comparable<?> left = comparable(key.type(), a);
        Comparable<?> right = comparable(key.type(), b);
        if (left == null || right == null) {
            return left == right ? 0 : left == null ? 1 : -1; // missing values last
        }
        int comparison = key.type() == AttributeType.NUMBER
                ? Double.compare((Double) left, (Double) right)
                : String.CASE_INSENSITIVE_ORDER.compare((String) left, (String) right);
        return key.descending() ? -comparison : comparison;
    }

    private static Comparable<?> comparable(AttributeType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type == AttributeType.NUMBER) {
            return value instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : null;
        }
        return value.toString();
    }

    @Override
    public String toString() {
        return String.join(",", keys.stream().map(k -> (k.descending() ? "-" : "") + k.attribute()).toList());
    }
}
