package dev.sliceplane.platform.api.query;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** Something a query is evaluated over: a node, a sliver, a sample, each with named attributes. */
@ConsumerType
@FunctionalInterface
public interface Row {

    /** The value of {@code attribute}, or null when this row has none (it then matches no term on it). */
    Object attribute(String attribute);

    /** A row over a map of attribute values. */
    static Row of(Map<String, ?> values) {
        return values::get;
    }
}
