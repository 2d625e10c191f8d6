package dev.sliceplane.monitor.api;

import java.util.Objects;

/**
 * One measured quantity of one subject, such as the CPU of sliver {@code princeton_codeen}.
 *
 * @param scope   what kind of subject
 * @param subject the node's host name, the sliver's or the management slice's name
 * @param metric  the attribute's name, as in the query API ({@code cpu}, {@code mem}, ...)
 */
public record Series(Scope scope, String subject, String metric) {

    /** The kinds of subject. */
    public enum Scope {
        NODE, SLIVER, SLICE
    }

    public Series {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
    }
}
