package dev.sliceplane.monitor.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When the figures will change: what the query API's {@code Cache-Control} and the sample checks need. */
public interface SampleTiming {

    /** When the next sample is due: the latest one plus the latest period; empty before any sample. */
    Optional<Instant> nextSampleDue();

    /** The time between the latest two samples (a default before there were two). */
    Duration samplePeriod();
}
