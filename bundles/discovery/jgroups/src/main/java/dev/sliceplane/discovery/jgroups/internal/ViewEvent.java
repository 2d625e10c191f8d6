package dev.sliceplane.discovery.jgroups.internal;

import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.NodeAdvert;

/** One change of the view, as {@link DiscoveryListener}s are told of it. */
sealed interface ViewEvent {

    /** Tells {@code listener} of this change. */
    void tell(DiscoveryListener listener);

    record Joined(NodeAdvert node) implements ViewEvent {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.joined(node);
        }
    }

    record Changed(NodeAdvert node) implements ViewEvent {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.changed(node);
        }
    }

    record Left(String hostname, boolean declaredDead) implements ViewEvent {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.left(hostname, declaredDead);
        }
    }
}
