package dev.sliceplane.client.internal;

import dev.sliceplane.client.Failure;
import dev.sliceplane.client.NodeState;

/** The state a node is left in by a failed request. */
final class States {

    private States() {
    }

    static NodeState of(Failure failure) {
        return failure.isUnreachable() ? NodeState.UNREACHABLE : NodeState.DENIED;
    }
}
