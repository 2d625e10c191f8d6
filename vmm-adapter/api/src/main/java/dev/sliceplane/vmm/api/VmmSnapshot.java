package dev.sliceplane.vmm.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One consistent sample of a node: its status and every sliver's usage, taken in one pass
 * with no sliver created or destroyed in between.
 *
 * @param sequence  increases by one with every sample of this VMM
 * @param at        when the sample was taken
 * @param backend   the backend's name
 * @param simulated true when this is a simulation
 * @param node      the node's status
 * @param slivers   every sliver's usage, by name
 */
public record VmmSnapshot(long sequence, Instant at, String backend, boolean simulated, NodeStatus node,
                          List<SliverUsage> slivers) {

    public VmmSnapshot {
        slivers = List.copyOf(slivers);
    }

    public Optional<SliverUsage> sliver(String name) {
        return slivers.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
