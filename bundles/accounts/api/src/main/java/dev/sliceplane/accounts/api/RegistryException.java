package dev.sliceplane.accounts.api;

import java.util.Objects;

/**
 * A registry call that did not happen. Nothing was changed: every change is one transaction.
 * The {@link #reason()} says what kind of failure it was; {@link #field()} names the offending
 * input field for {@link Reason#INVALID} (and the referenced field where it helps).
 */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed, each with the HTTP status it suggests. */
    public enum Reason {
        /** The object named by the call does not exist (404). */
        NOT_FOUND,
        /** An object with the same identity exists already (409). */
        ALREADY_EXISTS,
        /** An input field is malformed, out of range, or refers to something missing (422). */
        INVALID,
        /** The object is still referred to, e.g. a site that has slices, and cannot go (409). */
        REFERENCED,
        /** A cap was reached, e.g. a site's maximum number of slices (409). */
        LIMIT_REACHED,
        /** The database could not be reached or failed; the call may be retried (503). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String field;

    public RegistryException(Reason reason, String field, String message) {
        this(reason, field, message, null);
    }

    public RegistryException(Reason reason, String field, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(Reason.NOT_FOUND, null, message);
    }

    public static RegistryException alreadyExists(String field, String message) {
        return new RegistryException(Reason.ALREADY_EXISTS, field, message);
    }

    public static RegistryException invalid(String field, String message) {
        return new RegistryException(Reason.INVALID, field, field + ": " + message);
    }

    public static RegistryException referenced(String message) {
        return new RegistryException(Reason.REFERENCED, null, message);
    }

    public Reason reason() {
        return reason;
    }

    /** The input field at fault, such as {@code loginBase}; null when no one field is. */
    public String field() {
        return field;
    }
}
