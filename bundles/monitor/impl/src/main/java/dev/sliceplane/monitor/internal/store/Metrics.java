package dev.sliceplane.monitor.internal.store;

import java.util.List;

import dev.sliceplane.monitor.api.Series;

/**
 * The metrics kept with history, per kind of subject, as {@code docs/design/monitor.md} lists
 * them. Rates (network, slice allocation) are per second; CPU in cores (node: fraction busy).
 */
public final class Metrics {

    public static final List<String> NODE = List.of("cpu_busy", "cpu_free", "load1", "mem_available", "mem_used",
            "swap_free", "disk_avail", "net_rx", "net_tx", "slivers", "clock_offset");
    public static final List<String> SLIVER = List.of("cpu", "mem", "processes", "disk", "net_rx", "net_tx");
    public static final List<String> SLICE = List.of("cpu", "threads", "queued", "allocated_rate");

    private Metrics() {
    }

    /** The metrics of a kind of subject. */
    public static List<String> of(Series.Scope scope) {
        return switch (scope) {
            case NODE -> NODE;
            case SLIVER -> SLIVER;
            case SLICE -> SLICE;
        };
    }
}
