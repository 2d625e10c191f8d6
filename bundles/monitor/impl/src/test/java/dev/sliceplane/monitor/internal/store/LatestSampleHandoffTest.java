package dev.sliceplane.monitor.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.VmmSnapshot;

class LatestSampleHandoffTest {

    private final Samples samples = new Samples();
    private final List<Long> applied = new CopyOnWriteArrayList<>();
    private final LatestSampleHandoff handoff = new LatestSampleHandoff(s -> applied.add(s.sequence()));

    private VmmSnapshot next() {
        return samples.at(Instant.EPOCH);
    }

    @Test
    void withoutAnExecutorEachSampleIsAppliedAtOnce() {
        handoff.offer(next(), null);
        handoff.offer(next(), null);
        assertEquals(List.of(1L, 2L), applied);
        handoff.offer(next(), r -> {
            throw new RejectedExecutionException("full");
        });
        assertEquals(List.of(1L, 2L, 3L), applied, "a refusing executor does not lose the sample");
    }

    @Test
    void samplesWaitingForTheExecutorAreReplacedByNewerOnesAndAppliedInOrder() {
        List<Runnable> queued = new ArrayList<>();
        handoff.offer(next(), queued::add);
        handoff.offer(next(), queued::add);
        handoff.offer(next(), queued::add);
        assertEquals(1, queued.size(), "one drain at a time");
        assertEquals(List.of(), applied);
        queued.remove(0).run();
        assertEquals(List.of(3L), applied, "only the newest waiting sample is applied");
        assertEquals(2, handoff.skipped());

        handoff.offer(next(), queued::add);
        assertEquals(1, queued.size(), "a new drain once the previous one finished");
        queued.remove(0).run();
        assertEquals(List.of(3L, 4L), applied);
    }

    @Test
    void aSampleOfferedDuringTheDrainIsAppliedByIt() {
        List<Runnable> queued = new ArrayList<>();
        LatestSampleHandoff[] self = new LatestSampleHandoff[1];
        List<Long> seen = new ArrayList<>();
        self[0] = new LatestSampleHandoff(s -> {
            seen.add(s.sequence());
            if (s.sequence() == 1) {
                self[0].offer(next(), queued::add); // arrives while the first is being applied
            }
        });
        self[0].offer(next(), queued::add);
        queued.remove(0).run();
        assertEquals(List.of(1L, 2L), seen);
        assertEquals(0, queued.size());
    }
}
