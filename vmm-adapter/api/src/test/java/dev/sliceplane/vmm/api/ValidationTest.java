package dev.sliceplane.vmm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"princeton_codeen", "a", "mit-ron_2"})
    void planetLabStyleNamesAreAccepted(String name) {
        assertEquals(name, new SliverSpec(name, Limits.NONE).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Princeton", "1abc", "../etc", "a/b", "a b", "a.b"})
    void namesThatAreNotSafeDirectoryAndCgroupNamesAreRefused(String name) {
        VmmException e = assertThrows(VmmException.class, () -> new SliverSpec(name, Limits.NONE));
        assertEquals(VmmException.Reason.INVALID_NAME, e.reason());
        assertTrue(e.getMessage().contains("lower-case letter"), e.getMessage());
    }

    @Test
    void aNameOfSixtyFourCharactersIsTooLong() {
        String longest = "a".repeat(63);
        assertEquals(longest, SliverSpec.requireValidName(longest));
        assertThrows(VmmException.class, () -> SliverSpec.requireValidName(longest + "a"));
    }

    @Test
    void negativeOrAbsurdLimitsAreRefusedWithTheirRange() {
        assertInvalid("cpu must be in (0, 4096]", () -> Limits.NONE.withCpuCores(0.0));
        assertInvalid("cpu must be in (0, 4096]", () -> Limits.NONE.withCpuCores(Double.NaN));
        assertInvalid("cpu weight must be in [1, 10000]", () -> Limits.NONE.withCpuWeight(0));
        assertInvalid("memory must be at least 1 MiB", () -> Limits.NONE.withMemoryBytes(-1L));
        assertInvalid("processes must be in [1, 4194304]", () -> Limits.NONE.withMaxProcesses(5_000_000));
        assertInvalid("disk quota must not be negative", () -> Limits.NONE.withDiskBytes(-5L));
    }

    @Test
    void limitsListOnlyWhatIsSet() {
        Limits limits = Limits.NONE.withCpuCores(0.2).withMaxProcesses(50);
        assertEquals(Map.of(Limit.CPU_QUOTA, 0.2, Limit.PROCESSES, 50), limits.asMap());
        assertTrue(Limits.NONE.asMap().isEmpty());
    }

    @Test
    void programsNeedACommandAndStayInsideTheHome() {
        assertEquals(VmmException.Reason.INVALID_PROGRAM,
                assertThrows(VmmException.class, () -> new ProgramSpec(List.of(), Map.of(), "")).reason());
        assertThrows(VmmException.class, () -> new ProgramSpec(List.of(" "), Map.of(), ""));
        assertThrows(VmmException.class, () -> new ProgramSpec(List.of("ls"), Map.of(), "/etc"));
        assertThrows(VmmException.class, () -> new ProgramSpec(List.of("ls"), Map.of(), "data/../../x"));
        assertEquals("data/run", new ProgramSpec(List.of("ls"), null, "data/run").workingDirectory());
    }

    @Test
    void eventsNameTheirTopicAndCarryWhatHappened() {
        VmmEvent exited = VmmEvent.programExited("alice_web", Instant.EPOCH, "p2", 137);
        assertEquals("dev/sliceplane/vmm/PROGRAM_EXITED", exited.topic());
        assertEquals(137, exited.exitCode());
        assertEquals("program p2 exited with code 137", exited.message());
        assertThrows(NullPointerException.class,
                () -> VmmEvent.limitExceeded("alice_web", Instant.EPOCH, null, "no limit named"));
    }

    private static void assertInvalid(String message, Runnable action) {
        VmmException e = assertThrows(VmmException.class, action::run);
        assertEquals(VmmException.Reason.INVALID_LIMIT, e.reason());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
