package dev.sliceplane.vmm.linux.internal;

import static dev.sliceplane.vmm.linux.internal.EventCounterSchedule.FORK_REFUSALS;
import static dev.sliceplane.vmm.linux.internal.EventCounterSchedule.MEMORY_MARGIN_BYTES;
import static dev.sliceplane.vmm.linux.internal.EventCounterSchedule.OOM_KILLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which slow counters a pass reads for a sliver: the rule alone, pass by pass. */
class EventCounterScheduleTest {

    private static final long MIB = 1L << 20;
    private static final long LIMIT = 256 * MIB;
    private static final long FAR_BELOW = 100 * MIB;
    /** A pass's reads as bits: the two of countersDue, and this one for startPass (memory usage and peak, adopted supervisors). */
    private static final int MEMORY = 4;
    private static final int ALL = MEMORY | OOM_KILLS | FORK_REFUSALS;

    /** The sliver as the next pass finds it; each test changes what it needs. */
    private long cpu = 1000;
    private long peak = FAR_BELOW;
    private long memory = FAR_BELOW / 2;
    private long memoryLimit = LIMIT;
    private int tasks = 3;
    private int maxProcesses = 100;
    private boolean programEnded;

    @Test
    void theFirstPassReadsEverythingThenAnIdleSliverEveryNthPass() {
        EventCounterSchedule schedule = new EventCounterSchedule(10, 0);
        assertEquals(ALL, pass(schedule), "the first pass reports what happened before");
        List<Integer> reads = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            int due = pass(schedule);
            assertTrue(due == 0 || due == ALL, "pass " + n + ": " + due);
            if (due == ALL) {
                reads.add(n);
            }
        }
        assertEquals(List.of(1, 11, 21, 31), reads, "stagger 0 puts the second read on the next pass, then every 10th");
    }

    @Test
    void noIdleStretchIsLongerThanTheBoundWhateverTheStagger() {
        for (int stagger = -3; stagger < 25; stagger++) {
            EventCounterSchedule schedule = new EventCounterSchedule(7, stagger);
            int last = 0;
            pass(schedule);
            for (int n = 1; n <= 100; n++) {
                if (pass(schedule) == ALL) {
                    assertTrue(n - last <= 7, "stagger " + stagger + ": " + (n - last) + " passes between reads");
                    last = n;
                }
            }
            assertTrue(100 - last < 7, "stagger " + stagger + " still reads");
        }
    }

    @Test
    void staggersSpreadThePeriodicReadsOverThePasses() {
        List<EventCounterSchedule> slivers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            slivers.add(new EventCounterSchedule(10, i));
            pass(slivers.get(i));
        }
        for (int n = 1; n <= 30; n++) {
            int reading = 0;
            for (EventCounterSchedule schedule : slivers) {
                reading += pass(schedule) == ALL ? 1 : 0;
            }
            assertEquals(4, reading, "pass " + n + ": a tenth of 40 slivers");
        }
    }

    @Test
    void memoryIsReadOnEveryPassOnWhichTheSliverRanAndOnNoOther() {
        EventCounterSchedule schedule = started();
        cpu += 5;
        assertEquals(MEMORY, pass(schedule));
        assertEquals(0, pass(schedule), "CPU time stood still: no charge, no new peak");
        cpu += 1;
        assertEquals(MEMORY, pass(schedule));
    }

    @Test
    void aReadAllAskedForMakesTheNextPassAFullOneAndKeepsThePeriodicPhase() {
        EventCounterSchedule schedule = new EventCounterSchedule(10, 0);
        pass(schedule);
        assertEquals(ALL, pass(schedule), "stagger 0: the periodic read on pass 1");
        assertEquals(0, pass(schedule));
        schedule.readAllNextPass();
        assertEquals(ALL, pass(schedule), "pass 3, out of turn (after a resize)");
        List<Integer> reads = new ArrayList<>();
        for (int n = 4; n <= 21; n++) {
            if (pass(schedule) == ALL) {
                reads.add(n);
            }
        }
        assertEquals(List.of(11, 21), reads, "once only, and the periodic reads stay where they were");
    }

    @Test
    void theOomCountIsReadEveryPassWhileThePeakIsWithinTheMarginOfTheLimit() {
        EventCounterSchedule schedule = started();
        peak = LIMIT - MEMORY_MARGIN_BYTES;
        for (int n = 0; n < 5; n++) {
            assertEquals(OOM_KILLS, pass(schedule), "a kill at the limit is seen the pass after it, and the peak stays");
        }
        peak = LIMIT - MEMORY_MARGIN_BYTES - 1;
        assertEquals(0, pass(schedule), "just outside the margin");
        memory = LIMIT - MEMORY_MARGIN_BYTES;
        assertEquals(OOM_KILLS, pass(schedule), "the usage within the margin counts too");
        memory = FAR_BELOW;
        peak = LIMIT + 4096;
        assertEquals(OOM_KILLS, pass(schedule), "limit lowered below the peak");
        memoryLimit = -1;
        assertEquals(0, pass(schedule), "no limit: no kill at it");
    }

    @Test
    void withoutAPeakFromTheKernelTheOomCountIsReadEveryPass() {
        EventCounterSchedule schedule = started();
        peak = -1; // the kernel keeps none
        for (int n = 0; n < 5; n++) {
            assertEquals(OOM_KILLS, pass(schedule));
        }
    }

    @Test
    void anEndedProgramOrFewerTasksReadTheOomCountOnce() {
        EventCounterSchedule schedule = started();
        programEnded = true;
        assertEquals(OOM_KILLS, pass(schedule), "a program ended");
        programEnded = false;
        assertEquals(0, pass(schedule));
        tasks = 5;
        assertEquals(0, pass(schedule), "more tasks");
        tasks = 4;
        assertEquals(OOM_KILLS, pass(schedule), "one task fewer (a victim of the node's OOM killer?)");
        assertEquals(0, pass(schedule));
    }

    @Test
    void refusedForksAreReadEveryPassWhileTheTasksAreAtTheProcessLimitOrOneBelow() {
        EventCounterSchedule schedule = started();
        maxProcesses = 20;
        tasks = 20;
        for (int n = 0; n < 3; n++) {
            assertEquals(FORK_REFUSALS, pass(schedule), "at the limit");
        }
        tasks = 21;
        assertEquals(FORK_REFUSALS, pass(schedule), "limit lowered below the count");
        tasks = 19;
        assertEquals(OOM_KILLS | FORK_REFUSALS, pass(schedule), "one below, and two fewer");
        tasks = 20;
        maxProcesses = -1;
        assertEquals(0, pass(schedule), "no process limit");
        maxProcesses = 20;
        tasks = 18;
        assertEquals(OOM_KILLS, pass(schedule), "two below: only the drop counts");
    }

    @Test
    void theBoundMustBeAtLeastOnePass() {
        assertThrows(IllegalArgumentException.class, () -> new EventCounterSchedule(0, 0));
        EventCounterSchedule everyPass = new EventCounterSchedule(1, 5);
        for (int n = 0; n < 5; n++) {
            assertEquals(ALL, pass(everyPass));
        }
    }

    /** A schedule past its first pass, its next periodic read 999 passes away. */
    private EventCounterSchedule started() {
        EventCounterSchedule schedule = new EventCounterSchedule(1000, 999);
        assertEquals(ALL, pass(schedule));
        assertFalse(schedule.startPass(cpu), "nothing ran");
        assertEquals(0, schedule.countersDue(peak, memory, memoryLimit, tasks, maxProcesses, false), "nothing near a limit");
        return schedule;
    }

    /** One pass, as the backend makes it: the peak first, then the counters. */
    private int pass(EventCounterSchedule schedule) {
        int due = schedule.startPass(cpu) ? MEMORY : 0;
        return due | schedule.countersDue(peak, memory, memoryLimit, tasks, maxProcesses, programEnded);
    }
}
