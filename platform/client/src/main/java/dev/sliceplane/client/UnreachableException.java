package dev.sliceplane.client;

import java.net.URI;

/** No answer came from the authority: connection refused, unknown host, timed out. */
public final class UnreachableException extends ClientException {

    private static final long serialVersionUID = 1L;

    private final URI url;
    private final transient Failure failure;

    public UnreachableException(URI url, String why) {
        this(url, Failure.unreachable(url, why));
    }

    /** @param failure an unreachable failure, e.g. from {@link Failure#unreachable} */
    public UnreachableException(URI url, Failure failure) {
        super(failure.detail());
        this.url = url;
        this.failure = failure;
    }

    /** The URL that did not answer. */
    public URI url() {
        return url;
    }

    @Override
    public Failure failure() {
        return failure;
    }
}
