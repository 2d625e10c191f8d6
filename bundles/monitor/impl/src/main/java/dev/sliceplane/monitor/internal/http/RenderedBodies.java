package dev.sliceplane.monitor.internal.http;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers already rendered for the latest sample, by route and raw query string. The figures
 * change only once a sample, and dashboards and scripts repeat the same few queries, so rendering
 * once per sample and query keeps a busy query API cheap: a repeated query is answered without
 * even decoding its parameters. An answer is served only for the sample it was rendered from.
 * Bounded: when full, every entry is dropped (they would be stale at the next sample anyway).
 */
final class RenderedBodies {

    static final int MAX_ENTRIES = 128;

    /**
     * One rendered answer.
     *
     * @param sample when the sample it shows was taken
     * @param csv    whether it is CSV (else JSON)
     * @param head   JSON: the bytes before the age ({@code {"at":"…","maxAgeSeconds":}); CSV: empty
     * @param body   the rest
     */
    record Answer(Instant sample, boolean csv, byte[] head, byte[] body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /** The answer rendered for {@code key} from the sample taken at {@code sample}, or null. */
    Answer get(String key, Instant sample) {
        Answer answer = answers.get(key);
        return answer != null && answer.sample().equals(sample) ? answer : null;
    }

    void put(String key, Answer answer) {
        if (answers.size() >= MAX_ENTRIES && !answers.containsKey(key)) {
            answers.clear();
        }
        answers.put(key, answer);
    }
}
