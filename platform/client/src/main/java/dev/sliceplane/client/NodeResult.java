package dev.sliceplane.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One node's outcome in a report.
 *
 * @param node     the node's host name
 * @param url      its API base URL
 * @param state    where it stands now
 * @param lease    the slice's lease there (as granted, renewed or resized; as it was before a
 *                 release); null when there is none
 * @param programs the programs of the lease: the one started by a deploy, all of them in a status
 * @param failure  what went wrong there; null when nothing did. Set whenever the state is
 *                 {@link NodeState#DENIED} or {@link NodeState#UNREACHABLE}, and kept on a node
 *                 whose program did not start when a rollback then released its lease
 */
public record NodeResult(String node, URI url, NodeState state, Lease lease, List<Program> programs,
        Failure failure) {

    public NodeResult {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        programs = programs == null ? List.of() : List.copyOf(programs);
    }

    public boolean failed() {
        return failure != null;
    }

    public Optional<Lease> leaseIfAny() {
        return Optional.ofNullable(lease);
    }

    /** The pid of the first program, e.g. the one a deploy started. */
    public OptionalLong pid() {
        return programs.isEmpty() ? OptionalLong.empty() : OptionalLong.of(programs.get(0).pid());
    }
}
