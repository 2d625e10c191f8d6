package dev.sliceplane.vmm.api;

import java.util.List;

/**
 * What a node has to share between slivers.
 *
 * @param cores             CPU cores available to slivers
 * @param memoryBytes       physical memory
 * @param diskBytes         size of the filesystem holding sliver homes
 * @param networkInterfaces names of the node's network interfaces
 */
public record NodeCapacity(int cores, long memoryBytes, long diskBytes, List<String> networkInterfaces) {

    public NodeCapacity {
        networkInterfaces = List.copyOf(networkInterfaces);
    }
}
