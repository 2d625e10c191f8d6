package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwapStateTest {

    @TempDir
    Path dir;

    @Test
    void aRecordedChoiceSurvivesAReload() {
        Path file = dir.resolve("state/swap.properties");
        new SwapState(file).record("monitor", "dev.sliceplane.monitor.fast", 7);

        SwapState reloaded = new SwapState(file);

        assertEquals(Optional.of("dev.sliceplane.monitor.fast"), reloaded.active("monitor"));
        assertEquals(7, reloaded.rank("monitor"));
    }

    @Test
    void unknownServicesHaveNoChoiceAndRankZero() {
        SwapState state = new SwapState(dir.resolve("swap.properties"));
        state.record("monitor", "a", 3);

        assertEquals(Optional.empty(), state.active("topology"));
        assertEquals(0, state.rank("topology"));
    }

    @Test
    void aNewChoiceReplacesTheFileWholeAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("swap.properties");
        SwapState state = new SwapState(file);
        state.record("monitor", "a", 1);
        state.record("topology", "t", 2);
        state.record("monitor", "b", 5);

        SwapState reloaded = new SwapState(file);
        assertEquals(Optional.of("b"), reloaded.active("monitor"));
        assertEquals(5, reloaded.rank("monitor"));
        assertEquals(Optional.of("t"), reloaded.active("topology"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
