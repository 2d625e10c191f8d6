package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuThrottleTest {

    /** A hog that uses whatever it is given, checked every period for a minute. */
    private static double share(double quota, double hogCores) {
        double period = 0.1;
        CpuThrottle throttle = new CpuThrottle(quota, period);
        boolean running = true;
        double used = 0;
        for (int i = 0; i < 600; i++) {
            double step = running ? hogCores * period : 0;
            used += step;
            running = throttle.mayRun(step, period);
        }
        return used / 60;
    }

    @Test
    void aHogGetsItsQuotaAndNoMore() {
        assertEquals(0.2, share(0.2, 1), 0.02);
        assertEquals(0.5, share(0.5, 2), 0.03);
        assertEquals(1.5, share(1.5, 2), 0.05);
    }

    @Test
    void aSliverUnderItsQuotaIsNeverStopped() {
        CpuThrottle throttle = new CpuThrottle(0.5, 0.1);
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.mayRun(0.04, 0.1));
        }
    }

    @Test
    void idlingSavesNoBurst() {
        CpuThrottle throttle = new CpuThrottle(0.2, 0.1);
        for (int i = 0; i < 100; i++) {
            throttle.mayRun(0, 0.1);
        }
        assertEquals(false, throttle.mayRun(0.1, 0.1), "after an idle minute, one full period is already too much");
    }
}
