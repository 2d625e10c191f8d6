package dev.sliceplane.discovery.jgroups.internal;

/** An advertisement that failed a check: it is dropped and counted, never shown. */
final class AdvertRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AdvertRejectedException(String message) {
        super(message, null, false, false);
    }
}
