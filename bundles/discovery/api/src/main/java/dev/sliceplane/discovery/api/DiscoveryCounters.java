package dev.sliceplane.discovery.api;

/**
 * What this node's discovery has taken in and sent since it started: for operators watching a
 * node and for measuring what discovery costs. Counts only grow.
 *
 * @param advertsReceived adverts received (the engine's messages, or probe answers), rejected ones included
 * @param advertsRejected adverts dropped because they failed verification or could not be read
 * @param declaredDead    nodes that left the view because they were judged dead (not those that left cleanly)
 * @param bytesSent       bytes the mechanism sent, or -1 when it does not count them
 * @param bytesReceived   bytes the mechanism received, or -1 when it does not count them
 * @since 1.1
 */
public record DiscoveryCounters(long advertsReceived, long advertsRejected, long declaredDead, long bytesSent,
        long bytesReceived) {

    /** A count this implementation does not keep. */
    public static final long NOT_COUNTED = -1;
}
