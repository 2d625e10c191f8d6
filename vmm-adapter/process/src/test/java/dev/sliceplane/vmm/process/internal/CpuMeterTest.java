package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;

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
        assertEquals(0.5, meter.advance(List.of(p(1, 0, 50, 0)), List.of(), Set.of()), 1e-9);
        assertEquals(1.5, meter.advance(List.of(p(1, 0, 100, 0), p(2, 1, 50, 0)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aChildReapedByAMemberIsNotCountedTwice() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 30, 0)), List.of(), Set.of()); // 0.4
        // the child ran 20 more ticks, ended and was reaped: it shows in the parent's children figure
        assertEquals(0.6, meter.advance(List.of(p(1, 0, 10, 50)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aChildThatCameAndWentBetweenSightingsIsCountedThroughItsParent() {
        meter.advance(List.of(p(1, 0, 10, 0)), List.of(), Set.of());
        assertEquals(0.8, meter.advance(List.of(p(1, 0, 10, 70)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aProcessReapedOutsideTheSliverKeepsWhatWasSeen() {
        meter.advance(List.of(p(1, 0, 10, 0), p(3, 1, 40, 0)), List.of(), Set.of());
        // re-parented to init, then gone: its time cannot show in a member
        meter.advance(List.of(p(1, 0, 10, 0), p(3, 999, 40, 0)), List.of(), Set.of());
        assertEquals(0.5, meter.advance(List.of(p(1, 0, 10, 0)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aSupervisorsFinalTimesSettleWhatItReapedOnce() {
        ProcStat supervisor = p(5, 0, 1, 0);
        meter.advance(List.of(supervisor, p(6, 5, 100, 0)), List.of(), Set.of(supervisor.key())); // 1.01
        var settlement = new CpuMeter.Settlement("p1", Optional.of(supervisor.key()), 0.02, 1.5);
        // both gone; the program ran 50 ticks more, which only the supervisor's times show
        assertEquals(1.52, meter.advance(List.of(), List.of(settlement), Set.of(supervisor.key())), 1e-9);
        assertEquals(1.52, meter.advance(List.of(), List.of(settlement), Set.of(supervisor.key())), 1e-9, "once");
    }

    @Test
    void aSupervisorNeverSeenCountsWhollyFromItsTimes() {
        var settlement = new CpuMeter.Settlement("p1", Optional.empty(), 0.01, 0.3);
        assertEquals(0.31, meter.advance(List.of(), List.of(settlement), Set.of()), 1e-9);
    }

    @Test
    void neverGoesBackwards() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 90, 0)), List.of(), Set.of());
        // the parent and its child vanish together, the child having been orphaned first: a negative step
        assertEquals(1.0, meter.advance(List.of(p(7, 0, 0, 0)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void resumesFromSavedState() {
        meter.advance(List.of(p(1, 0, 10, 0)), List.of(), Set.of());
        CpuMeter restored = new CpuMeter(HZ, meter.seconds(), meter.deficit(), meter.seen(), meter.settled());
        assertEquals(0.3, restored.advance(List.of(p(1, 0, 30, 0)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aParentReadJustBeforeItReapedAChildCountsTheChildOnce() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 50, 0)), List.of(), Set.of()); // 0.6
        // the parent was read, then reaped the child (which had run 30 ticks more) before the child
        // was read: the child is gone but the parent's children figure does not show it yet
        assertEquals(0.6, meter.advance(List.of(p(1, 0, 15, 0)), List.of(), Set.of()), 1e-9, "the dip is not reported");
        // next sighting: the child's 80 ticks show in the parent, and are counted once
        assertEquals(1.0, meter.advance(List.of(p(1, 0, 20, 80)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aDipStillToBeMadeGoodSurvivesARestart() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 50, 0)), List.of(), Set.of());
        meter.advance(List.of(p(1, 0, 15, 0)), List.of(), Set.of());
        CpuMeter restored = new CpuMeter(HZ, meter.seconds(), meter.deficit(), meter.seen(), meter.settled());
        assertEquals(1.0, restored.advance(List.of(p(1, 0, 20, 80)), List.of(), Set.of()), 1e-9);
    }

    @Test
    void aChildReapedByAVanishedParentShowsInTheGrandparent() {
        meter.advance(List.of(p(1, 0, 10, 0), p(2, 1, 20, 0), p(3, 2, 30, 0)), List.of(), Set.of()); // 0.6
        // 3 ran 10 more and was reaped by 2; 2 ran 5 more and was reaped by 1
        assertEquals(0.75, meter.advance(List.of(p(1, 0, 10, 65)), List.of(), Set.of()), 1e-9);
    }
}
