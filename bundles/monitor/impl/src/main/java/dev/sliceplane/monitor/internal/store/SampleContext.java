package dev.sliceplane.monitor.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.sliceplane.platform.api.slice.SliceSnapshot;

/**
 * What the store reads beside the VMM's sample, at the moment of each sample: the services it
 * consults are optional, so each answer has a "not known" form. Called on the sampling sequence
 * only.
 */
public interface SampleContext {

    /** The node's host name. */
    String hostname();

    /** The authority's clock minus ours, in seconds; null until measured. */
    Double clockOffsetSeconds();

    /** Every management slice now; empty where the platform has no slice registry. */
    List<SliceSnapshot> managementSlices();

    /** When each sliver's lease ends, by sliver name; empty without a node manager. */
    Map<String, Instant> leaseEnds();

    /**
     * Every sliver's memory limit ({@code null} value: none), by name, read from the VMM in one
     * call; null when no VMM is there to ask.
     */
    Map<String, Long> memoryLimits();

    /**
     * One sliver's memory limit: {@code -1} when it has none or is unknown to the VMM, {@code
     * null} when no VMM is there to ask.
     */
    Long memoryLimit(String sliver);
}
