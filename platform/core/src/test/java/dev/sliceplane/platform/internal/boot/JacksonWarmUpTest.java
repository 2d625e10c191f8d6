package dev.sliceplane.platform.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JacksonWarmUpTest {

    /** A warm-up that failed part way would leave the rest of the work to the components unnoticed. */
    @Test
    void theWarmUpRecordSurvivesTheRoundTripWhole() throws Exception {
        assertEquals(JacksonWarmUp.SHAPE, JacksonWarmUp.roundTrip());
    }
}
