package dev.sliceplane.monitor.internal.http;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers already rendered for the latest sample, by query. The figures change only once a
 * sample, and dashboards and scripts repeat the same few queries, so rendering once per sample
 * and query keeps a busy query API cheap. An answer is served only for the sample it was rendered
 * from. Bounded: when full, every entry is dropped (they would be stale at the next sample anyway).
 */
final class RenderedBodies {

    static final int MAX_ENTRIES = 128;

    /** Everything that decides an answer's bytes besides the sample. */
    record Key(String route, String format, String select, String where, String sort, String limit) {
    }

    private record Body(Instant sample, byte[] bytes) {
    }

    private final Map<Key, Body> bodies = new ConcurrentHashMap<>();

    /** The answer rendered for {@code key} from the sample taken at {@code sample}, or null. */
    byte[] get(Key key, Instant sample) {
        Body body = bodies.get(key);
        return body != null && body.sample().equals(sample) ? body.bytes() : null;
    }

    void put(Key key, Instant sample, byte[] bytes) {
        if (bodies.size() >= MAX_ENTRIES && !bodies.containsKey(key)) {
            bodies.clear();
        }
        bodies.put(key, new Body(sample, bytes));
    }
}
