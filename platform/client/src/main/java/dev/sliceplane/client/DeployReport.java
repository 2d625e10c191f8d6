package dev.sliceplane.client;

import java.util.List;
import java.util.Objects;

/**
 * What a deploy did on each node the broker gave a ticket for.
 *
 * @param slice      the slice
 * @param requested  how many nodes were asked for
 * @param nodes      one result per ticket, in host-name order (fewer than requested only when the
 *                   request accepted fewer)
 * @param rolledBack an all-or-nothing deploy failed somewhere and released the leases granted
 *                   (each such node is {@link NodeState#RELEASED}; one that could not be released
 *                   keeps its lease and a failure saying so)
 */
public record DeployReport(String slice, int requested, List<NodeResult> nodes, boolean rolledBack) {

    public DeployReport {
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

    /** The nodes that hold a lease for the slice now (none after a rollback that succeeded). */
    public List<NodeResult> holding() {
        return nodes.stream().filter(node -> node.state() == NodeState.RUNNING || node.state() == NodeState.LEASED)
                .toList();
    }

    /** Every node holds a lease and runs the program (when one was asked for), as many as requested. */
    public boolean complete() {
        return !anyFailed() && !rolledBack && nodes.size() == requested;
    }
}
