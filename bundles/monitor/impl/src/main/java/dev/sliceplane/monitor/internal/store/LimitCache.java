package dev.sliceplane.monitor.internal.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * Slivers' memory limits, which the sample does not carry. Asking the VMM for each of a thousand
 * slivers every second would cost more than the rest of the sample, so limits are cached: a new
 * sliver is looked up once (all at once through one listing when many are new, as after a
 * restart), a created one is looked up again, and everything is re-read every
 * {@link #FULL_REFRESH_MILLIS} to pick up resizes, for which the VMM sends no event.
 */
final class LimitCache {

    static final long FULL_REFRESH_MILLIS = 60_000;
    /** More new slivers than this in one sample: one listing instead of a lookup each. */
    static final int BULK_THRESHOLD = 16;
    private static final Long NONE = -1L;

    /** By sliver; {@link #NONE} for no limit. Concurrent: events may invalidate beside a sample. */
    private final Map<String, Long> limits = new ConcurrentHashMap<>();
    private long refreshedAtMillis = Long.MIN_VALUE;

    /** Makes sure every sliver of {@code snapshot} has its limit cached, as cheaply as it can. */
    void prepare(VmmSnapshot snapshot, long nowMillis, SampleContext context) {
        if (refreshedAtMillis == Long.MIN_VALUE || nowMillis - refreshedAtMillis >= FULL_REFRESH_MILLIS) {
            refreshAll(snapshot, nowMillis, context);
            return;
        }
        int missing = 0;
        for (SliverUsage usage : snapshot.slivers()) {
            if (!limits.containsKey(usage.name())) {
                missing++;
            }
        }
        if (missing > BULK_THRESHOLD) {
            refreshAll(snapshot, nowMillis, context);
        } else if (missing > 0) {
            for (SliverUsage usage : snapshot.slivers()) {
                if (!limits.containsKey(usage.name())) {
                    Long limit = context.memoryLimit(usage.name());
                    if (limit != null) {
                        limits.put(usage.name(), limit < 0 ? NONE : limit);
                    }
                }
            }
        }
    }

    private void refreshAll(VmmSnapshot snapshot, long nowMillis, SampleContext context) {
        Map<String, Long> all = context.memoryLimits();
        if (all == null) {
            return; // no VMM to ask: try again next sample
        }
        limits.clear();
        all.forEach((name, limit) -> limits.put(name, limit == null ? NONE : limit));
        for (SliverUsage usage : snapshot.slivers()) {
            limits.putIfAbsent(usage.name(), NONE); // gone by the time of the listing: no limit to show
        }
        refreshedAtMillis = nowMillis;
    }

    /** The sliver's memory limit, or null when it has none or it is not known. */
    Long memoryLimit(String sliver) {
        Long limit = limits.get(sliver);
        return limit == null || limit < 0 ? null : limit;
    }

    /** Forgets the sliver's limit, so the next sample looks it up (it was created or resized). */
    void invalidate(String sliver) {
        limits.remove(sliver);
    }
}
