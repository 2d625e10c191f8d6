package dev.sliceplane.platform.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthStatusTest {

    @ParameterizedTest
    @CsvSource({
            "UP, UP, UP",
            "UP, WARN, WARN",
            "WARN, STARTING, STARTING",
            "UP, STARTING, STARTING",
            "STARTING, DOWN, DOWN",
            "WARN, DOWN, DOWN",
            "DOWN, DOWN, DOWN"})
    void worseIsTheMoreSevereEitherWayRound(HealthStatus a, HealthStatus b, HealthStatus worse) {
        assertEquals(worse, a.worse(b));
        assertEquals(worse, b.worse(a));
    }
}
