package dev.sliceplane.platform.internal.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sliceplane.platform.api.slice.SliceHeader;
import dev.sliceplane.platform.api.slice.SliceLimits;

class SliceDeclarationTest {

    @Test
    void nameAloneGetsDefaults() {
        SliceDeclaration d = SliceDeclaration.parse(" mgmt_monitor ");

        assertEquals("mgmt_monitor", d.name());
        assertEquals(new SliceLimits(SliceHeader.DEFAULT_CPU, SliceHeader.DEFAULT_THREADS, SliceHeader.DEFAULT_QUEUE,
                SliceHeader.DEFAULT_DATA_BYTES), d.limits());
    }

    @Test
    void everyAttribute() {
        SliceDeclaration d = SliceDeclaration.parse("mgmt_swap_2; cpu=0.5; threads = 3;; queue=\"17\"; data=2MiB");

        assertEquals("mgmt_swap_2", d.name());
        assertEquals(new SliceLimits(0.5, 3, 17, 2L << 20), d.limits());
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "10B, 10", "2KiB, 2048", "3 MiB, 3145728", "1GiB, 1073741824"})
    void sizes(String value, long bytes) {
        assertEquals(bytes, SliceDeclaration.parse("mgmt_a; data=" + value).limits().dataQuotaBytes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Mgmt_monitor        | Mgmt_monitor",
            "monitor             | monitor",
            "''                  | slice name",
            "mgmt_a; memory=1    | memory",
            "mgmt_a; cpu         | cpu",
            "mgmt_a; cpu=lots    | cpu=lots",
            "mgmt_a; threads=1.5 | threads=1.5",
            "mgmt_a; data=5TB    | data=5TB",
            "mgmt_a; data=-1     | data=-1",
            "mgmt_a; cpu=0       | cpu share",
            "mgmt_a; cpu=2000    | cpu share",
            "mgmt_a; threads=0   | threads",
            "mgmt_a; queue=-1    | queue"})
    void rejectsNamingTheBadPart(String header, String named) {
        var e = assertThrows(IllegalArgumentException.class, () -> SliceDeclaration.parse(header));
        assertTrue(e.getMessage().contains(named), () -> "'" + e.getMessage() + "' should name " + named);
    }

    @Test
    void rejectsASizeThatOverflows() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SliceDeclaration.parse("mgmt_a; data=99999999999GiB"));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
    }
}
