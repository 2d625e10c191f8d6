package dev.sliceplane.vmm.api;

/** How a backend honours one kind of {@link Limit}; backends never pretend. */
public enum Enforcement {
    /** The kernel enforces the limit exactly as asked. */
    ENFORCED,
    /** Enforced by a related mechanism with a different meaning; the backend documents how. */
    APPROXIMATE,
    /** Accepted and recorded, and usage is measured, but nothing stops a sliver exceeding it. */
    NOT_ENFORCED
}
