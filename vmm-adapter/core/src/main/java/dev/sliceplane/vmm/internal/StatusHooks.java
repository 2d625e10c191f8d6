package dev.sliceplane.vmm.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.api.VmmStatusListener;

/**
 * Delivers samples and events to the status listeners. Each listener has its own ordered
 * mailbox, drained by a pool thread only while it holds work, so a slow or hung listener ties
 * up one thread and delays nobody else; the publisher (the sampler) never waits. A listener
 * that falls behind gets the newest sample and skips older ones; events are kept, up to a
 * bound that only a listener hung for hours can reach.
 */
public final class StatusHooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusHooks.class);
    static final int MAX_PENDING_EVENTS = 100_000;

    private final ExecutorService pool;
    private final Map<VmmStatusListener, Mailbox> mailboxes = new ConcurrentHashMap<>();

    public StatusHooks(String threadPrefix) {
        AtomicInteger count = new AtomicInteger();
        // Grows with the number of busy listeners; idle threads end after a while.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, threadPrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void add(VmmStatusListener listener, String name) {
        mailboxes.put(listener, new Mailbox(listener, name));
    }

    public void remove(VmmStatusListener listener) {
        Mailbox removed = mailboxes.remove(listener);
        if (removed != null) {
            removed.discard();
        }
    }

    public void publish(VmmEvent event) {
        mailboxes.values().forEach(m -> m.offer(event));
    }

    public void publish(VmmSnapshot snapshot) {
        mailboxes.values().forEach(m -> m.offer(snapshot));
    }

    /** Delivery figures per listener, for operators. */
    public List<ListenerStats> stats() {
        return mailboxes.values().stream().map(Mailbox::stats).toList();
    }

    @Override
    public void close() {
        mailboxes.values().forEach(Mailbox::discard);
        mailboxes.clear();
        pool.shutdownNow();
    }

    /**
     * @param name             the listener's name
     * @param samplesDelivered samples handed to it
     * @param samplesSkipped   samples replaced by a newer one before it could take them
     * @param eventsDelivered  events handed to it
     * @param eventsDropped    events dropped because it was hung with the mailbox full
     * @param failures         calls that threw
     */
    public record ListenerStats(String name, long samplesDelivered, long samplesSkipped, long eventsDelivered,
                                long eventsDropped, long failures) {
    }

    /** One listener's pending work; all fields guarded by {@code this}. */
    private final class Mailbox implements Runnable {
        private final VmmStatusListener listener;
        private final String name;
        private final ArrayDeque<VmmEvent> events = new ArrayDeque<>();
        private VmmSnapshot sample;
        private boolean draining;
        private boolean discarded;
        private long samplesDelivered;
        private long samplesSkipped;
        private long eventsDelivered;
        private long eventsDropped;
        private long failures;

        Mailbox(VmmStatusListener listener, String name) {
            this.listener = listener;
            this.name = name;
        }

        synchronized void offer(VmmEvent event) {
            if (events.size() >= MAX_PENDING_EVENTS) {
                events.pollFirst();
                if (eventsDropped++ == 0) {
                    LOG.error("Status listener {} is not taking events; dropping the oldest", name);
                }
            }
            events.addLast(event);
            drainLater();
        }

        synchronized void offer(VmmSnapshot snapshot) {
            if (sample != null) {
                samplesSkipped++;
            }
            sample = snapshot;
            drainLater();
        }

        private void drainLater() {
            if (draining || discarded) {
                return;
            }
            draining = true;
            try {
                pool.execute(this);
            } catch (RuntimeException rejected) {
                draining = false; // the pool is closing
            }
        }

        @Override
        public void run() {
            while (true) {
                VmmEvent event;
                VmmSnapshot snapshot = null;
                synchronized (this) {
                    event = events.pollFirst();
                    if (event == null) {
                        snapshot = sample;
                        sample = null;
                    }
                    if ((event == null && snapshot == null) || discarded) {
                        draining = false;
                        return;
                    }
                }
                deliver(event, snapshot);
            }
        }

        // Events queued before a sample were observed before it, so they go first.
        private void deliver(VmmEvent event, VmmSnapshot snapshot) {
            boolean failed = false;
            try {
                if (event != null) {
                    listener.event(event);
                } else {
                    listener.sampled(snapshot);
                }
            } catch (Throwable failure) { // even a linkage error from a stopping bundle
                failed = true;
                LOG.warn("Status listener {} failed: {}", name, failure.toString());
            }
            synchronized (this) {
                if (failed) {
                    failures++;
                }
                if (event != null) {
                    eventsDelivered++;
                } else {
                    samplesDelivered++;
                }
            }
        }

        synchronized void discard() {
            discarded = true;
            events.clear();
            sample = null;
        }

        synchronized ListenerStats stats() {
            return new ListenerStats(name, samplesDelivered, samplesSkipped, eventsDelivered, eventsDropped, failures);
        }
    }
}
