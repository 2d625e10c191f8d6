package dev.sliceplane.client;

import java.util.List;
import java.util.Objects;

/**
 * What a status, renew, resize or release found or did on each node that has (or had) a ticket
 * for the slice.
 *
 * @param slice the slice
 * @param nodes one result per node, in host-name order
 */
public record SliceReport(String slice, List<NodeResult> nodes) {

    public SliceReport {
        Objects.requireNonNull(slice, "slice");
        nodes = List.copyOf(nodes);
    }

    /** The nodes where something went wrong. */
    public List<NodeResult> failed() {
        return nodes.stream().filter(NodeResult::failed).toList();
    }

    public boolean anyFailed() {
        return nodes.stream().anyMatch(NodeResult::failed);
    }
}
