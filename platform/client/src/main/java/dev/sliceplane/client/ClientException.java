package dev.sliceplane.client;

/** A call to the authority (broker or agent) failed as a whole. Nodes' failures are in reports instead. */
public abstract class ClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ClientException(String message) {
        super(message);
    }

    /** What went wrong, as a node's failure would say it. */
    public abstract Failure failure();
}
