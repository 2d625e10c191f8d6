package dev.sliceplane.discovery.jgroups.internal;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.discovery.api.DiscoveryListener;

/**
 * Tells the {@link DiscoveryListener} whiteboard of view changes on the bundle's executor, as the
 * API promises: calls to one listener never overlap and keep their order, a slow listener delays
 * no other, and the engine's threads never wait for a listener. Each listener has its own queue,
 * drained by at most one task at a time. Thread-safe.
 */
final class ListenerCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerCalls.class);

    private final Executor executor;
    private final Map<DiscoveryListener, Lane> lanes = new ConcurrentHashMap<>();

    ListenerCalls(Executor executor) {
        this.executor = executor;
    }

    /** Adds {@code listener}, telling it first of {@code current} (the nodes already in the view). */
    void add(DiscoveryListener listener, List<ViewEvent> current) {
        Lane lane = new Lane(listener);
        lanes.put(listener, lane);
        lane.offer(current);
    }

    void remove(DiscoveryListener listener) {
        lanes.remove(listener);
    }

    void tell(List<ViewEvent> events) {
        lanes.values().forEach(lane -> lane.offer(events));
    }

    private final class Lane {
        private final DiscoveryListener listener;
        private final Queue<ViewEvent> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();

        Lane(DiscoveryListener listener) {
            this.listener = listener;
        }

        void offer(List<ViewEvent> events) {
            pending.addAll(events);
            schedule();
        }

        private void schedule() {
            if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    draining.set(false); // the slice is stopping or full: the events wait for the next offer
                }
            }
        }

        private void drain() {
            try {
                ViewEvent event;
                while ((event = pending.poll()) != null && lanes.get(listener) == this) {
                    try {
                        event.tell(listener);
                    } catch (RuntimeException e) {
                        LOG.warn("discovery listener {} failed on {}", listener, event, e);
                    }
                }
            } finally {
                draining.set(false);
                if (lanes.get(listener) == this) {
                    schedule(); // events offered while this drain was finishing
                }
            }
        }
    }
}
