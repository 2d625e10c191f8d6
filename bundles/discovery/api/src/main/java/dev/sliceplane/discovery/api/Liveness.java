package dev.sliceplane.discovery.api;

/** What a view says of a node's liveness. */
public enum Liveness {
    /** In the view and answering. */
    ALIVE,
    /** Suspected by the failure detector (or missed probes) and not yet declared dead. */
    SUSPECT
}
