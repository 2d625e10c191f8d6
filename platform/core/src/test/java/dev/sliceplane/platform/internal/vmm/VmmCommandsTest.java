package dev.sliceplane.platform.internal.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.VmmException;

class VmmCommandsTest {

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals(512, Sizes.parse("512"));
        assertEquals(64L << 20, Sizes.parse("64MiB"));
        assertEquals(3L << 29, Sizes.parse("1.5GiB"));
        assertEquals(10_000_000, Sizes.parse("10MB"));
        assertEquals(2000, Sizes.parse("2k"), "without the i, units are decimal");
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-5MiB"));
    }

    @Test
    void limitsApplyOnTopOfTheCurrentOnes() {
        Limits limits = VmmCommands.parseLimits(Limits.NONE, "cpu=0.2", "memory=64MiB", "processes=50");
        assertEquals(new Limits(0.2, null, 64L << 20, 50, null), limits);
        Limits resized = VmmCommands.parseLimits(limits, "memory=none", "disk=1GiB");
        assertEquals(new Limits(0.2, null, null, 50, 1L << 30), resized);
        assertEquals("cpu=0.2 processes=50 disk=1.0GiB", VmmCommands.describe(resized));
    }

    @Test
    void badLimitsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> VmmCommands.parseLimits(Limits.NONE, "ram=1GiB"));
        assertThrows(IllegalArgumentException.class, () -> VmmCommands.parseLimits(Limits.NONE, "memory=lots"));
        assertEquals(VmmException.Reason.INVALID_LIMIT, assertThrows(VmmException.class,
                () -> VmmCommands.parseLimits(Limits.NONE, "cpu=-1")).reason());
    }
}
