package dev.sliceplane.vmm.api;

/** The kinds of resource limit a sliver can have. */
public enum Limit {
    /** A hard cap on CPU time, in cores (0.2 = a fifth of one core). */
    CPU_QUOTA,
    /** A relative CPU weight against other slivers when the CPU is contended. */
    CPU_WEIGHT,
    /** A cap on memory; exceeding it gets the sliver's largest process OOM-killed. */
    MEMORY,
    /** A cap on the number of processes and threads. */
    PROCESSES,
    /** A quota on the bytes stored under the sliver's home directory. */
    DISK
}
