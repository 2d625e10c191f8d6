package dev.sliceplane.monitor.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.platform.api.slice.SliceSnapshot;

/** A {@link SampleContext} the test sets, counting how often the VMM is asked for limits. */
public final class FakeContext implements SampleContext {

    public String hostname = "node1.test";
    public Double clockOffset;
    public List<SliceSnapshot> slices = new ArrayList<>();
    public Map<String, Instant> leaseEnds = new HashMap<>();
    /** The VMM's memory limits (null value: no limit); null: no VMM. */
    public Map<String, Long> vmmLimits = new HashMap<>();
    public int listings;
    public int lookups;

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public Double clockOffsetSeconds() {
        return clockOffset;
    }

    @Override
    public List<SliceSnapshot> managementSlices() {
        return List.copyOf(slices);
    }

    @Override
    public Map<String, Instant> leaseEnds() {
        return Map.copyOf(leaseEnds);
    }

    @Override
    public Map<String, Long> memoryLimits() {
        if (vmmLimits == null) {
            return null;
        }
        listings++;
        return new HashMap<>(vmmLimits);
    }

    @Override
    public Long memoryLimit(String sliver) {
        if (vmmLimits == null) {
            return null;
        }
        lookups++;
        Long limit = vmmLimits.get(sliver);
        return limit == null ? -1L : limit;
    }
}
