package dev.sliceplane.vmm.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.VmmEvent;

/**
 * What a backend is opened with.
 *
 * @param stateDirectory where the backend keeps its records and the slivers' homes; it
 *                       survives restarts
 * @param settings       backend-specific settings from configuration (for example the
 *                       cgroup root name or a simulation's seed); unknown keys are ignored
 * @param events         where the backend reports events; it must not block
 * @param clock          the clock for timestamps (a simulation may use its own)
 */
public record BackendContext(Path stateDirectory, Map<String, String> settings, Consumer<VmmEvent> events,
                             Clock clock) {

    public BackendContext {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
    }

    public String setting(String key, String defaultValue) {
        return settings.getOrDefault(key, defaultValue);
    }
}
