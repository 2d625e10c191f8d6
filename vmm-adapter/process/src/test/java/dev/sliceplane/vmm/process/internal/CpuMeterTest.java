package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CpuMeterTest {

    private static final double HZ = 100;
    private final CpuMeter meter = new CpuMeter(HZ);

    /** A process with own and children ticks. */
    private static ProcStat p(long pid, long ppid, long own, long children) {
        return new ProcStat(pid, "p" + pid, 'R', ppid, 1, own, 0, children, 0, 0, 1, pid * 10, 100);
    }

    @Test
    void countsGrowthAndNewProcesses() {
        assertEquals(0.5, meter.advance(List.of(p(1, 0, 50, 0)), List.of()), 1e-9);
        assertEquals(1.5, meter.advance(List.of(p(1, 0, 100, 0), p(2, 1, 50, 0)), List.of()), 1e-9);
    }

    @Test
    void aChildReapedByAMemberIsNotCountedTwice() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 30, 0)), List.of()); // 0.4
        // the child ran 20 more ticks, ended and was reaped: it shows in the parent's children figure
        assertEquals(0.6, meter.advance(List.of(p(1, 0, 10, 50)), List.of()), 1e-9);
    }

    @Test
    void aChildThatCameAndWentBetweenSightingsIsCountedThroughItsParent() {
        meter.advance(List.of(p(1, 0, 10, 0)), List.of());
        assertEquals(0.8, meter.advance(List.of(p(1, 0, 10, 70)), List.of()), 1e-9);
    }

    @Test
    void aProcessReapedOutsideTheSliverKeepsWhatWasSeen() {
        meter.advance(List.of(p(1, 0, 10, 0), p(3, 1, 40, 0)), List.of());
        // re-parented to init, then gone: its time cannot show in a member
        meter.advance(List.of(p(1, 0, 10, 0), p(3, 999, 40, 0)), List.of());
        assertEquals(0.5, meter.advance(List.of(p(1, 0, 10, 0)), List.of()), 1e-9);
    }

    @Test
    void aSupervisorsFinalTimesSettleWhatItReapedOnce() {
        ProcStat supervisor = p(5, 0, 1, 0);
        meter.advance(List.of(supervisor, p(6, 5, 100, 0)), List.of()); // 1.01
        var settlement = new CpuMeter.Settlement("p1", Optional.of(supervisor.key()), 0.02, 1.5);
        // both gone; the program ran 50 ticks more, which only the supervisor's times show
        assertEquals(1.52, meter.advance(List.of(), List.of(settlement)), 1e-9);
        assertEquals(1.52, meter.advance(List.of(), List.of(settlement)), 1e-9, "once");
    }

    @Test
    void aSupervisorNeverSeenCountsWhollyFromItsTimes() {
        var settlement = new CpuMeter.Settlement("p1", Optional.empty(), 0.01, 0.3);
        assertEquals(0.31, meter.advance(List.of(), List.of(settlement)), 1e-9);
    }

    @Test
    void neverGoesBackwards() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 90, 0)), List.of());
        // the parent and its child vanish together, the child having been orphaned first: a negative step
        assertEquals(1.0, meter.advance(List.of(p(7, 0, 0, 0)), List.of()), 1e-9);
    }

    @Test
    void resumesFromSavedState() {
        meter.advance(List.of(p(1, 0, 10, 0)), List.of());
        CpuMeter restored = new CpuMeter(HZ, meter.seconds(), meter.seen(), meter.settled());
        assertEquals(0.3, restored.advance(List.of(p(1, 0, 30, 0)), List.of()), 1e-9);
    }
}
