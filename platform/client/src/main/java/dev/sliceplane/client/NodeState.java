package dev.sliceplane.client;

/**
 * How the last request of an operation went on a node. The first four are successes; after
 * {@link #DENIED} or {@link #UNREACHABLE} the node may still hold the lease shown in its result
 * (a renewal was refused, a program did not start, a rollback could not release it).
 */
public enum NodeState {
    /** It holds a lease and the program asked for started. */
    RUNNING,
    /** It holds a lease (and no program was asked for, or none is running). */
    LEASED,
    /** The lease was released (by {@link ServiceManager#release}, or rolled back by an all-or-nothing deploy). */
    RELEASED,
    /** The slice has a ticket for the node but no lease there (not redeemed, or expired and reclaimed). */
    NO_LEASE,
    /** The node refused the request; its {@link Failure} has the reasons. */
    DENIED,
    /** The node did not answer (or not in time). */
    UNREACHABLE
}
