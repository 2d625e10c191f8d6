package dev.sliceplane.client;

import java.net.URI;

/** No answer came from the authority: connection refused, unknown host, timed out. */
public final class UnreachableException extends ClientException {

    private static final long serialVersionUID = 1L;

    private final URI url;
    private final String why;
    private final transient Failure failure;

    /** @param why in a few words, e.g. {@code connection refused} */
    public UnreachableException(URI url, String why) {
        super(Failure.unreachable(url, why).detail());
        this.url = url;
        this.why = why;
        this.failure = Failure.unreachable(url, why);
    }

    /** The URL that did not answer. */
    public URI url() {
        return url;
    }

    /** Why, in a few words, e.g. {@code connection refused} or {@code no answer within 30 s}. */
    public String why() {
        return why;
    }

    @Override
    public Failure failure() {
        return failure;
    }
}
