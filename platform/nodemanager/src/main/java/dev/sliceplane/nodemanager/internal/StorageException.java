package dev.sliceplane.nodemanager.internal;

/**
 * The journal could not record a change, so the change was not made: the caller gets 503 and
 * the node manager's health check turns DOWN until a restart rewrites the journal.
 */
public final class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
