package dev.sliceplane.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

/** Sizes and lengths of time as the slice commands read them. */
class AmountsTest {

    @Test
    void sizesTakeTheQueryLanguagesUnits() {
        assertEquals(268_435_456L, Sizes.parse("268435456"));
        assertEquals(256L << 20, Sizes.parse("256MiB"));
        assertEquals(256L << 20, Sizes.parse("256 mib"));
        assertEquals(3L << 29, Sizes.parse("1.5GiB"));
        assertEquals(500_000_000L, Sizes.parse("500MB"));
        assertEquals(1L << 40, Sizes.parse("1TiB"));
        assertEquals(512L, Sizes.parse("512B"));
        for (String bad : new String[] {"12XB", "", "-1MiB", "0.5B", "MiB", "1e3", "99999999999TiB"}) {
            assertThrows(TypeConversionException.class, () -> Sizes.parse(bad), bad);
        }
    }

    @Test
    void durationsAreShortOrIso() {
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("45s"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
        for (String bad : new String[] {"soon", "0h", "-1h", "PT0S", "1w", "h"}) {
            assertThrows(TypeConversionException.class, () -> Durations.parse(bad), bad);
        }
    }
}
