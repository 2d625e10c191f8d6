package dev.sliceplane.accounts.api;

/**
 * A token or API key that does not authenticate anyone. The message says why for the log; an
 * HTTP layer answers 401 without echoing it in detail to the caller.
 *
 * @since 1.1
 */
public class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
