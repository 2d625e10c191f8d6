package dev.sliceplane.platform.api.query;

import java.util.Objects;

/**
 * One key of a {@link Sort}.
 *
 * @param attribute  the attribute's name
 * @param type       its type: numbers sort numerically, text ignoring case
 * @param descending whether larger values come first ({@code -cpu_free})
 */
public record SortKey(String attribute, AttributeType type, boolean descending) {

    public SortKey {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(type, "type");
    }
}
