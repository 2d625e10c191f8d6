package dev.sliceplane.platform.api.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The attributes a query may name and their types, given by whoever evaluates it (the broker's
 * node attributes, the monitor's metrics). Attribute names are case-sensitive. Immutable.
 */
public final class QuerySchema {

    private final Map<String, AttributeType> attributes;

    private QuerySchema(Map<String, AttributeType> attributes) {
        this.attributes = attributes;
    }

    /** A schema of these attributes, in this order (the order {@link #names()} lists them in). */
    public static QuerySchema of(Map<String, AttributeType> attributes) {
        Map<String, AttributeType> copy = new LinkedHashMap<>();
        attributes.forEach((name, type) -> copy.put(Objects.requireNonNull(name), Objects.requireNonNull(type)));
        return new QuerySchema(java.util.Collections.unmodifiableMap(copy));
    }

    /** The type of {@code name}, or null when it is not an attribute. */
    public AttributeType type(String name) {
        return attributes.get(name);
    }

    public Set<String> names() {
        return attributes.keySet();
    }

    @Override
    public String toString() {
        return attributes.toString();
    }
}
