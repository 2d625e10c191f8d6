package dev.sliceplane.platform.api.slice;

/** Where a management slice stands against its limits. */
public enum SliceState {
    /** Within its limits. */
    RUNNING,
    /** Over its CPU share just now: its tasks wait until it is back under. */
    THROTTLED,
    /** Has been over a limit for longer than the policy tolerates; reported unhealthy. */
    VIOLATING,
    /** Its bundle stopped, by an operator or by the violation policy. */
    STOPPED
}
