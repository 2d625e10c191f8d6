package dev.sliceplane.platform.api.query;

/** The type of a queryable attribute, which decides how values are compared. */
public enum AttributeType {
    /** Compared numerically; values may carry units. Row values are {@link Number}s. */
    NUMBER,
    /**
     * Compared as text: {@code =} and {@code !=} ignore case (host names, sites and health states
     * are case-insensitive), {@code < <= > >=} order lexicographically, also ignoring case. Row
     * values are turned into text with {@code toString()}.
     */
    TEXT
}
