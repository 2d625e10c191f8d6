package dev.sliceplane.vmm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;
import dev.sliceplane.vmm.spi.VmmBackendFactory;

class BackendChoiceTest {

    private final VmmBackendFactory linux = factory("linux", false, "cgroups are not writable");
    private final VmmBackendFactory linuxUsable = factory("linux", true, "cgroup v1");
    private final VmmBackendFactory process = factory("process", true, "/proc");
    private final VmmBackendFactory simulated = factory("simulated", true, "SIMULATION");

    @Test
    void autoPrefersLinuxWhereItWorks() {
        assertEquals(linuxUsable, BackendChoice.choose("auto", List.of(simulated, process, linuxUsable)));
    }

    @Test
    void autoFallsBackToProcessAndNeverPicksTheSimulation() {
        assertEquals(process, BackendChoice.choose("auto", List.of(simulated, linux, process)));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> BackendChoice.choose("auto", List.of(simulated, linux)));
        assertTrue(none.getMessage().contains("linux (cgroups are not writable)"), none.getMessage());
    }

    @Test
    void aConfiguredBackendIsUsedOrRefusedWithTheReason() {
        assertEquals(simulated, BackendChoice.choose("simulated", List.of(linuxUsable, simulated)));
        IllegalStateException unusable = assertThrows(IllegalStateException.class,
                () -> BackendChoice.choose("linux", List.of(linux, process)));
        assertTrue(unusable.getMessage().contains("cgroups are not writable"), unusable.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> BackendChoice.choose("xen", List.of(process)));
        assertTrue(missing.getMessage().contains("'xen' is not installed; installed: process (usable)"),
                missing.getMessage());
    }

    @Test
    void settingsArePickedByBackendPrefix() {
        assertEquals(java.util.Map.of("cgroupRoot", "sp", "x.y", "1"), VmmComponent.settingsFor("linux",
                java.util.Map.of("linux.cgroupRoot", "sp", "linux.x.y", 1, "process.other", "z", "backend", "linux")));
    }

    private static VmmBackendFactory factory(String name, boolean usable, String reason) {
        return new VmmBackendFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Availability probe() {
                return new Availability(usable, reason);
            }

            @Override
            public VmmBackend open(BackendContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String toString() {
                return name + "/" + usable;
            }
        };
    }
}
