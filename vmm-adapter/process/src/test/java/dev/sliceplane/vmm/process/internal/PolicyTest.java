package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;

/** The weight-to-nice mapping, what is claimed for root and for a user, and the supervisor's times. */
class PolicyTest {

    @Test
    void weightsMapToNiceValues() {
        assertEquals(0, CpuWeights.niceFor(100));
        assertEquals(-10, CpuWeights.niceFor(1000));
        assertEquals(10, CpuWeights.niceFor(10));
        assertEquals(19, CpuWeights.niceFor(1));
        assertEquals(-20, CpuWeights.niceFor(10000));
        assertEquals(-3, CpuWeights.niceFor(200));
    }

    @Test
    void aUserCannotRaisePriorityAndSaysSo() {
        EnforcementPolicy user = new EnforcementPolicy(false, 0, true);
        assertEquals(Map.of(Limit.CPU_WEIGHT, Enforcement.NOT_ENFORCED),
                user.sliver(Limits.NONE.withCpuWeight(1000)));
        assertEquals(Map.of(Limit.CPU_WEIGHT, Enforcement.APPROXIMATE), user.sliver(Limits.NONE.withCpuWeight(50)));
        EnforcementPolicy root = new EnforcementPolicy(true, 0, true);
        assertEquals(Map.of(Limit.CPU_WEIGHT, Enforcement.APPROXIMATE), root.sliver(Limits.NONE.withCpuWeight(1000)));
        assertEquals(Enforcement.NOT_ENFORCED, new EnforcementPolicy(true, 0, false).backend().get(Limit.CPU_WEIGHT));
    }

    @Test
    void nothingIsClaimedEnforcedAndDiskIsOnlyMeasured() {
        for (boolean root : new boolean[] {true, false}) {
            Map<Limit, Enforcement> all = new EnforcementPolicy(root, 0, true).backend();
            assertEquals(Limit.values().length, all.size());
            assertTrue(!all.containsValue(Enforcement.ENFORCED));
            assertEquals(Enforcement.NOT_ENFORCED, all.get(Limit.DISK));
            assertEquals(Enforcement.APPROXIMATE, all.get(Limit.PROCESSES), "the guard, for root and users alike");
        }
    }

    @Test
    void supervisorTimesAreParsedInDashAndBashFormats() {
        assertEquals(Optional.of(new SupervisorTimes(0.03, 1.5)),
                SupervisorTimes.parse("0m0.010000s 0m0.020000s\n0m1.000000s 0m0.500000s\n"));
        assertEquals(Optional.of(new SupervisorTimes(0.0, 61.5)), SupervisorTimes.parse("0m0.000s 0m0.000s\n1m1.000s 0m0.500s\n"));
        assertEquals(Optional.empty(), SupervisorTimes.parse("0m0.0s\n"));
    }
}
