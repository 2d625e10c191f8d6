package dev.sliceplane.platform.api.acquisition;

import java.util.List;

/**
 * A request for tickets, a lease or a change to one that was refused, with the reasons. HTTP
 * endpoints answer it as an RFC 9457 problem with the given status, type
 * {@code https://sliceplane.dev/problems/<type>} and the chain as {@code "reasons": [{"check",
 * "node", "rule", "detail"}...]}.
 */
public class DeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient List<Reason> reasons;

    /**
     * @param status  the HTTP status: 400 malformed, 403 refused by a signature, policy or
     *                membership check, 404 unknown lease or slice, 409 replay or conflict, 410 expired,
     *                422 over capacity
     * @param type    the problem type's last path segment, e.g. {@code ticket-replayed}
     * @param reasons the chain, decisive reason first; not empty
     */
    public DeniedException(int status, String type, List<Reason> reasons) {
        super(reasons.isEmpty() ? type : reasons.get(0).toString());
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a denial needs at least one reason");
        }
        this.status = status;
        this.type = type;
        this.reasons = List.copyOf(reasons);
    }

    public DeniedException(int status, String type, Reason reason) {
        this(status, type, List.of(reason));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public List<Reason> reasons() {
        return reasons;
    }
}
