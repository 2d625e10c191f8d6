package dev.sliceplane.client.internal;

import java.util.List;

import dev.sliceplane.client.DeployReport;
import dev.sliceplane.client.DeployRequest;
import dev.sliceplane.client.Failure;
import dev.sliceplane.client.Lease;
import dev.sliceplane.client.NodeResult;
import dev.sliceplane.client.NodeState;
import dev.sliceplane.client.Program;
import dev.sliceplane.client.ProgramSpec;

/**
 * A deploy: tickets from the broker, then on every node at once (bounded) redeem the ticket and
 * start the program; a node that fails does not stop the others. An all-or-nothing request then
 * releases what the others granted when any node failed.
 */
public final class Deployment {

    private final Authority authority;
    private final NodeManagers nodes;
    private final Fanout fanout;

    public Deployment(Authority authority, NodeManagers nodes, Fanout fanout) {
        this.authority = authority;
        this.nodes = nodes;
        this.fanout = fanout;
    }

    public DeployReport run(DeployRequest request) {
        List<Ticket> tickets = authority.requestTickets(request);
        List<NodeResult> results = fanout.map(tickets, ticket -> onNode(ticket, request.program()));
        boolean rollBack = request.allOrNothing() && results.stream().anyMatch(NodeResult::failed);
        if (rollBack) {
            results = fanout.map(results, this::rollBack);
        }
        return new DeployReport(request.slice(), request.count(), results, rollBack);
    }

    private NodeResult onNode(Ticket ticket, ProgramSpec program) {
        Attempt<Lease> lease = nodes.redeem(ticket.url(), ticket.jws());
        if (!lease.ok()) {
            return failed(ticket, null, lease.failure());
        }
        if (program == null) {
            return new NodeResult(ticket.node(), ticket.url(), NodeState.LEASED, lease.value(), List.of(), null);
        }
        Attempt<Program> started = nodes.start(ticket.url(), lease.value().id(), program);
        if (!started.ok()) {
            return failed(ticket, lease.value(), started.failure());
        }
        return new NodeResult(ticket.node(), ticket.url(), NodeState.RUNNING, lease.value(), List.of(started.value()),
                null);
    }

    /** Releases the node's lease, if it got one; a failure to do so says the lease is still held. */
    private NodeResult rollBack(NodeResult result) {
        Lease lease = result.lease();
        if (lease == null) {
            return result;
        }
        Attempt<Boolean> released = nodes.release(result.url(), lease.id());
        if (released.ok()) {
            return new NodeResult(result.node(), result.url(), NodeState.RELEASED, lease, result.programs(),
                    result.failure());
        }
        Failure why = released.failure();
        Failure kept = new Failure(why.status(), why.type(),
                "lease " + lease.id() + " is still held: the rollback could not release it: " + why.detail(),
                why.reasons());
        return new NodeResult(result.node(), result.url(), States.of(kept), lease, result.programs(), kept);
    }

    private static NodeResult failed(Ticket ticket, Lease lease, Failure failure) {
        return new NodeResult(ticket.node(), ticket.url(), States.of(failure), lease, List.of(), failure);
    }
}
