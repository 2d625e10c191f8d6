package dev.sliceplane.platform.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sliceplane.platform.internal.boot.JacksonPreinitializer.Kind;
import dev.sliceplane.platform.internal.boot.JacksonPreinitializer.Part;
import dev.sliceplane.platform.internal.boot.JacksonPreinitializer.Shape;

class JacksonPreinitializerTest {

    /** A warm-up that failed part way would leave the rest of the work to the components unnoticed. */
    @Test
    void theWarmUpRecordSurvivesTheRoundTripWhole() throws Exception {
        Part part = new Part("part", 1);
        assertEquals(new Shape("shape", 1, 0.5, true, Instant.EPOCH, Duration.ofSeconds(1), Kind.ONE, part, List.of(part),
                Map.of("key", "value")), JacksonPreinitializer.roundTrip());
    }
}
