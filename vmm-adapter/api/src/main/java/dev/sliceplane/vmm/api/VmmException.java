package dev.sliceplane.vmm.api;

import java.util.Objects;

/** A VMM operation that was refused or failed, with a reason callers can map to a response. */
public class VmmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** The sliver name is not valid. */
        INVALID_NAME,
        /** A limit is negative, absurd or beyond the node's capacity. */
        INVALID_LIMIT,
        /** The program specification is not valid (empty command, path outside the home). */
        INVALID_PROGRAM,
        /** A sliver with that name already exists. */
        ALREADY_EXISTS,
        /** No sliver with that name exists. */
        UNKNOWN_SLIVER,
        /** The program could not be started (not found, not executable). */
        LAUNCH_FAILED,
        /** The backend cannot do this at all. */
        NOT_SUPPORTED,
        /** The operating system refused or failed; the message says what. */
        BACKEND_FAILURE
    }

    private final Reason reason;

    public VmmException(Reason reason, String message) {
        this(reason, message, null);
    }

    public VmmException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    static VmmException invalidLimit(String message) {
        return new VmmException(Reason.INVALID_LIMIT, message);
    }
}
