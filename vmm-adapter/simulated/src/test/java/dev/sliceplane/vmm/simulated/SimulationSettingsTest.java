package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SimulationSettingsTest {

    @Test
    void everySettingHasADefault() {
        SimulationSettings d = SimulationSettings.from(Map.of("unknown", "ignored"));
        assertEquals(SimulationSettings.DEFAULTS, d);
        assertEquals(0, d.seed());
        assertEquals(8, d.cores());
        assertEquals(32L << 30, d.memoryBytes());
        assertEquals(1L << 40, d.diskBytes());
        assertEquals(List.of("eth0"), d.interfaces());
        assertTrue(d.persist());
        assertEquals(0, d.oomRate());
        assertEquals(0, d.crashRate());
        assertEquals(List.of("/nonexistent"), d.failingCommands());
    }

    @Test
    void settingsAreReadFromText() {
        SimulationSettings s = SimulationSettings.from(Map.of("seed", "0xff", "cores", "64", "memoryBytes", "512 GiB",
                "diskBytes", "2TiB", "interfaces", "eth0, wlan0", "persist", "FALSE", "oomRate", "0.5",
                "crashRate", "1e-2", "failingCommands", "/missing/, /gone"));
        assertEquals(255, s.seed());
        assertEquals(64, s.cores());
        assertEquals(512L << 30, s.memoryBytes());
        assertEquals(2L << 40, s.diskBytes());
        assertEquals(List.of("eth0", "wlan0"), s.interfaces());
        assertFalse(s.persist());
        assertEquals(0.5, s.oomRate());
        assertEquals(0.01, s.crashRate());
        assertTrue(s.failsToLaunch("/missing/x"));
        assertTrue(s.failsToLaunch("/gone"));
        assertFalse(s.failsToLaunch("/gonerism"));
        assertEquals(s, SimulationSettings.from(s.toMap()));
        assertEquals(1048576, SimulationSettings.parseBytes("1MiB"));
        assertEquals(-1, SimulationSettings.from(Map.of("seed", "0xffffffffffffffff")).seed());
    }

    @Test
    void badSettingsNameTheSetting() {
        for (Map<String, String> bad : List.of(Map.of("cores", "0"), Map.of("cores", "x"),
                Map.of("memoryBytes", "1MiB"), Map.of("diskBytes", "-1"), Map.of("interfaces", " , "),
                Map.of("persist", "yes"), Map.of("oomRate", "-1"), Map.of("crashRate", "NaN"),
                Map.of("seed", "seven"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SimulationSettings.from(bad));
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
