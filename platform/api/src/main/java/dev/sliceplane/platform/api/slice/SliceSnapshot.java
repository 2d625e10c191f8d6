package dev.sliceplane.platform.api.slice;

import java.time.Instant;

/**
 * One management slice as seen at one instant.
 *
 * @param name      the slice name, such as {@code mgmt_monitor}
 * @param bundleId  the bundle bound to the slice
 * @param bundle    that bundle's symbolic name
 * @param state     where it stands against its limits
 * @param reason    why it is throttled, violating or stopped; empty when running
 * @param limits    its limits
 * @param usage     its accounting
 * @param sampledAt when the usage was sampled
 */
public record SliceSnapshot(
        String name,
        long bundleId,
        String bundle,
        SliceState state,
        String reason,
        SliceLimits limits,
        SliceUsage usage,
        Instant sampledAt) {
}
