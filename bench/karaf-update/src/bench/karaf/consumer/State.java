package bench.karaf.consumer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by the load component and the shell command. They live in a
 * map of java.* objects kept in the system properties, so they survive a
 * refresh (new class loader) of this bundle: a refresh shows up as extra
 * activations and class loaders instead of silently resetting the counters.
 */
final class State {
    private static final String KEY = "bench.karaf.consumer.state";

    private State() {
    }

    @SuppressWarnings("unchecked")
    static ConcurrentHashMap<String, Object> map() {
        return (ConcurrentHashMap<String, Object>) System.getProperties()
                .computeIfAbsent(KEY, k -> new ConcurrentHashMap<String, Object>());
    }

    static LongAdder adder(String name) {
        return (LongAdder) map().computeIfAbsent(name, k -> new LongAdder());
    }

    /** Closed outages: {startNs (last good call), endNs (next good call), noService, threw, threadId}. */
    @SuppressWarnings("unchecked")
    static ConcurrentLinkedQueue<long[]> gaps() {
        return (ConcurrentLinkedQueue<long[]>) map().computeIfAbsent("gaps", k -> new ConcurrentLinkedQueue<long[]>());
    }

    /** Outages in progress: threadId -> startNs. */
    @SuppressWarnings("unchecked")
    static ConcurrentHashMap<Long, Long> open() {
        return (ConcurrentHashMap<Long, Long>) map().computeIfAbsent("open", k -> new ConcurrentHashMap<Long, Long>());
    }

    /** Reference events: "bind|unbind <ns> <bsn>". */
    @SuppressWarnings("unchecked")
    static ConcurrentLinkedQueue<String> events() {
        return (ConcurrentLinkedQueue<String>) map().computeIfAbsent("events", k -> new ConcurrentLinkedQueue<String>());
    }

    /** Exception class name -> count. */
    @SuppressWarnings("unchecked")
    static ConcurrentHashMap<String, LongAdder> errors() {
        return (ConcurrentHashMap<String, LongAdder>) map().computeIfAbsent("errors",
                k -> new ConcurrentHashMap<String, LongAdder>());
    }

    /** identityHashCodes of the class loaders that activated the load component. */
    @SuppressWarnings("unchecked")
    static ConcurrentHashMap<Integer, Boolean> loaders() {
        return (ConcurrentHashMap<Integer, Boolean>) map().computeIfAbsent("loaders",
                k -> new ConcurrentHashMap<Integer, Boolean>());
    }

    @SuppressWarnings("unchecked")
    static AtomicReference<String> ref(String name, String initial) {
        return (AtomicReference<String>) map().computeIfAbsent(name, k -> new AtomicReference<String>(initial));
    }
}
