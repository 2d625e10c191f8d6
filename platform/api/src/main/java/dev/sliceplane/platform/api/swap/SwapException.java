package dev.sliceplane.platform.api.swap;

/** A swap that was refused or failed; the running implementation is untouched. */
public class SwapException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a swap did not happen. */
    public enum Reason {
        UNKNOWN_SERVICE,
        UNKNOWN_IMPLEMENTATION,
        CORE_SERVICE,
        ALREADY_ACTIVE,
        NOT_STARTABLE,
        TIMEOUT
    }

    private final Reason reason;

    public SwapException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SwapException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
