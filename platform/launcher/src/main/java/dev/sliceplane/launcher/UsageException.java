package dev.sliceplane.launcher;

/** A command line the launcher cannot act on; its message is one line meant for the operator. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
