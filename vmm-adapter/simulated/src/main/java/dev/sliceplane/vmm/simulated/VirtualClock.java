package dev.sliceplane.vmm.simulated;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, with millisecond resolution: the model time of
 * simulated nodes. Hand it to a {@link dev.sliceplane.vmm.spi.BackendContext} and advance it
 * between samples; the same advances give the same results. Thread-safe; clocks made by
 * {@link #withZone(ZoneId)} share the same time.
 */
public final class VirtualClock extends Clock {

    private final AtomicLong millis;
    private final ZoneId zone;

    /** A clock standing at {@code start}, in UTC. */
    public VirtualClock(Instant start) {
        this(new AtomicLong(start.toEpochMilli()), ZoneOffset.UTC);
    }

    private VirtualClock(AtomicLong millis, ZoneId zone) {
        this.millis = millis;
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Moves the clock forward; a negative duration is refused. */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a virtual clock only moves forward, not by " + by);
        }
        return Instant.ofEpochMilli(millis.addAndGet(by.toMillis()));
    }

    /** Sets the clock (also backwards: simulated nodes never let their model time go back). */
    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return newZone.equals(zone) ? this : new VirtualClock(millis, newZone);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + instant() + "]";
    }
}
