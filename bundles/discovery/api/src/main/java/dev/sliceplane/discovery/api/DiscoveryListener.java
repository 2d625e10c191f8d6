package dev.sliceplane.discovery.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of changes in the view, registered as an OSGi service (whiteboard). Calls to one listener
 * never overlap; a slow listener delays no other and never the membership engine.
 */
@ConsumerType
public interface DiscoveryListener {

    /** A node entered the view (joined, or came back after a partition healed). */
    default void joined(NodeAdvert node) {
    }

    /** A node's advertisement or liveness changed. */
    default void changed(NodeAdvert node) {
    }

    /** A node left the view: it left cleanly ({@code declaredDead} false) or was declared dead. */
    default void left(String hostname, boolean declaredDead) {
    }
}
