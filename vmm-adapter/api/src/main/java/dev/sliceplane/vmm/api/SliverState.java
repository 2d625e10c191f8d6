package dev.sliceplane.vmm.api;

/** The state of a sliver. */
public enum SliverState {
    /** Created, no process running in it. */
    IDLE,
    /** At least one process is running in it. */
    RUNNING
}
