package dev.sliceplane.platform.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConfiguredDurationsTest {

    @Test
    void positiveIso8601DurationsOnly() {
        assertEquals(Duration.ofSeconds(10), ConfiguredDurations.positive(" PT10S ", "interval"));
        assertThrows(IllegalArgumentException.class, () -> ConfiguredDurations.positive("10s", "interval"));
        assertThrows(IllegalArgumentException.class, () -> ConfiguredDurations.positive("PT0S", "interval"));
        assertThrows(IllegalArgumentException.class, () -> ConfiguredDurations.positive("-PT1S", "interval"));
    }
}
