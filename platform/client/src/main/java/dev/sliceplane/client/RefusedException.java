package dev.sliceplane.client;

import java.util.List;

import dev.sliceplane.platform.api.acquisition.Reason;

/**
 * The authority answered with an error: e.g. the broker's 422 {@code no-matching-nodes} with the
 * reasons why nodes were left out, a 403 for a caller who is not a member of the slice.
 */
public final class RefusedException extends ClientException {

    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    public RefusedException(Failure failure) {
        super(failure.toString());
        this.failure = failure;
    }

    @Override
    public Failure failure() {
        return failure;
    }

    public int status() {
        return failure.status();
    }

    /** The problem type's last segment, e.g. {@code no-matching-nodes}. */
    public String type() {
        return failure.type();
    }

    public List<Reason> reasons() {
        return failure.reasons();
    }
}
