package dev.sliceplane.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.sliceplane.client.Failure;
import dev.sliceplane.client.Lease;
import dev.sliceplane.client.NodeResult;
import dev.sliceplane.client.NodeState;
import dev.sliceplane.client.Program;
import dev.sliceplane.client.SliceReport;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * Status, renew, resize and release: the agent says which nodes the slice holds tickets for; on
 * each of them at once (bounded), the node manager's leases of the slice, then the operation on
 * the current one (release: on all of them).
 */
public final class SliceOperations {

    /** What an operation does on a node with the slice's leases there (at least one). */
    private interface OnLeases {
        NodeResult apply(String node, URI url, Lease current, List<Lease> all);
    }

    /** Not expired first, then the one ending last: the lease that counts on a node. */
    private static final Comparator<Lease> CURRENT_FIRST = Comparator
            .comparing((Lease lease) -> "expired".equalsIgnoreCase(lease.state()))
            .thenComparing(Lease::end, Comparator.nullsLast(Comparator.reverseOrder()));

    private final Authority authority;
    private final NodeManagers nodes;
    private final Fanout fanout;

    public SliceOperations(Authority authority, NodeManagers nodes, Fanout fanout) {
        this.authority = authority;
        this.nodes = nodes;
        this.fanout = fanout;
    }

    public SliceReport status(String slice) {
        return onEachNode(slice, (node, url, lease, all) -> {
            Attempt<List<Program>> programs = nodes.programs(url, lease.id());
            if (!programs.ok()) {
                return failed(node, url, lease, programs.failure());
            }
            boolean running = programs.value().stream().anyMatch(p -> "running".equalsIgnoreCase(p.state()));
            return new NodeResult(node, url, running ? NodeState.RUNNING : NodeState.LEASED, lease, programs.value(),
                    null);
        });
    }

    public SliceReport renew(String slice, Duration duration) {
        return onEachNode(slice, (node, url, lease, all) -> leased(node, url, lease,
                nodes.renew(url, lease.id(), duration)));
    }

    public SliceReport resize(String slice, UnaryOperator<Resources> change) {
        return onEachNode(slice, (node, url, lease, all) -> {
            if (lease.resources() == null) {
                return failed(node, url, lease, JsonHttp.unreadable(200, "lease " + lease.id()
                        + " shows no resources to resize from"));
            }
            return leased(node, url, lease, nodes.resize(url, lease.id(), change.apply(lease.resources())));
        });
    }

    public SliceReport release(String slice) {
        return onEachNode(slice, (node, url, current, all) -> {
            for (Lease lease : all) {
                Attempt<Boolean> released = nodes.release(url, lease.id());
                if (!released.ok()) {
                    return failed(node, url, lease, released.failure());
                }
            }
            return new NodeResult(node, url, NodeState.RELEASED, current, List.of(), null);
        });
    }

    private SliceReport onEachNode(String slice, OnLeases operation) {
        List<Map.Entry<String, URI>> holders = new ArrayList<>(authority.ticketHolders(slice).entrySet());
        List<NodeResult> results = fanout.map(holders, holder -> {
            String node = holder.getKey();
            URI url = holder.getValue();
            if (url == null) {
                return new NodeResult(node, null, NodeState.UNREACHABLE, null, List.of(), new Failure(0,
                        Failure.UNREACHABLE, "the agent knows no URL for " + node, List.of()));
            }
            Attempt<List<Lease>> leases = nodes.leases(url, slice);
            if (!leases.ok()) {
                return failed(node, url, null, leases.failure());
            }
            if (leases.value().isEmpty()) {
                return new NodeResult(node, url, NodeState.NO_LEASE, null, List.of(), null);
            }
            List<Lease> all = leases.value().stream().sorted(CURRENT_FIRST).toList();
            return operation.apply(node, url, all.get(0), all);
        });
        return new SliceReport(slice, results);
    }

    private static NodeResult leased(String node, URI url, Lease before, Attempt<Lease> after) {
        if (!after.ok()) {
            return failed(node, url, before, after.failure());
        }
        return new NodeResult(node, url, NodeState.LEASED, after.value(), List.of(), null);
    }

    private static NodeResult failed(String node, URI url, Lease lease, Failure failure) {
        return new NodeResult(node, url, States.of(failure), lease, List.of(), failure);
    }
}
