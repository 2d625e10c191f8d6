package dev.sliceplane.vmm.linux.internal.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.VmmException;

class CpuQuotaTest {

    @Test
    void coresBecomeQuotaAndPeriod() {
        assertEquals(new CpuQuota(20_000, 100_000), CpuQuota.of(0.2));
        assertEquals(new CpuQuota(150_000, 100_000), CpuQuota.of(1.5));
        assertEquals(new CpuQuota(5_000, 1_000_000), CpuQuota.of(0.005));
        assertEquals(0.2, CpuQuota.of(0.2).cores());
        assertEquals(VmmException.Reason.INVALID_LIMIT, assertThrows(VmmException.class, () -> CpuQuota.of(0.0004)).reason());
    }

    @Test
    void everyWeightSurvivesTheTripThroughShares() {
        for (int weight = 1; weight <= 10_000; weight++) {
            assertEquals(weight, CpuQuota.weightOf(CpuQuota.sharesOf(weight)));
        }
        assertEquals(1024, CpuQuota.sharesOf(100));
    }
}
