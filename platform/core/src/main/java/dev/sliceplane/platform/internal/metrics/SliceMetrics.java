package dev.sliceplane.platform.internal.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;
import dev.sliceplane.platform.internal.health.HealthAggregator;

/**
 * Management slices and health as Prometheus families, read at scrape time from the slice
 * registry and the health aggregator (both answer from memory, so a scrape never waits on work).
 * The {@code slice} label takes one value per management bundle, so its cardinality is bounded.
 */
final class SliceMetrics implements MultiCollector {

    private final SliceRegistry slices;
    private final HealthAggregator health;

    SliceMetrics(SliceRegistry slices, HealthAggregator health) {
        this.slices = slices;
        this.health = health;
    }

    @Override
    public MetricSnapshots collect() {
        List<SliceSnapshot> all = slices.slices().stream().filter(s -> s.state() != SliceState.STOPPED).toList();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(counter(all, "sliceplane_slice_cpu_seconds", Unit.SECONDS,
                "CPU time of the slice's threads and of the HTTP requests it served.", s -> s.usage().cpuNanos() / 1e9));
        out.metricSnapshot(counter(all, "sliceplane_slice_http_requests", null,
                "HTTP requests served by the slice's bundle.", s -> s.usage().httpRequests()));
        out.metricSnapshot(counter(all, "sliceplane_slice_tasks_completed", null,
                "Background tasks the slice completed.", s -> s.usage().completedTasks()));
        out.metricSnapshot(counter(all, "sliceplane_slice_tasks_rejected", null,
                "Background tasks refused because the slice's queue was full.", s -> s.usage().rejectedTasks()));
        out.metricSnapshot(counter(all, "sliceplane_slice_throttled_seconds", Unit.SECONDS,
                "Time the slice's tasks waited because it was over its CPU share.", s -> s.usage().throttledNanos() / 1e9));
        out.metricSnapshot(counter(all, "sliceplane_slice_allocated_bytes", Unit.BYTES,
                "Bytes allocated by the slice's threads.", s -> s.usage().allocatedBytes()));
        out.metricSnapshot(gauge(all, "sliceplane_slice_threads", null,
                "Live threads of the slice's executor.", s -> s.usage().liveThreads()));
        out.metricSnapshot(gauge(all, "sliceplane_slice_queued_tasks", null,
                "Tasks waiting in the slice's queue.", s -> s.usage().queuedTasks()));
        out.metricSnapshot(gauge(all, "sliceplane_slice_data_bytes", Unit.BYTES,
                "Bytes in the slice's data area.", s -> s.usage().dataBytes()));
        out.metricSnapshot(gauge(all, "sliceplane_slice_cpu_share_cores", null,
                "The slice's CPU share, in cores.", s -> s.limits().cpuShare()));
        out.metricSnapshot(gauge(all, "sliceplane_slice_violating", null,
                "1 while the slice violates its limits.", s -> s.state() == SliceState.VIOLATING ? 1 : 0));
        HealthStatus status = health.report().status();
        out.metricSnapshot(GaugeSnapshot.builder().name("sliceplane_node_up")
                .help("1 while the node's health is UP or WARN, 0 while DOWN or STARTING.")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .value(status == HealthStatus.UP || status == HealthStatus.WARN ? 1 : 0).build())
                .build());
        return out.build();
    }

    private static CounterSnapshot counter(List<SliceSnapshot> all, String name, Unit unit, String help,
            ToDoubleFunction<SliceSnapshot> value) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            family.unit(unit);
        }
        for (SliceSnapshot s : all) {
            family.dataPoint(CounterDataPointSnapshot.builder().labels(labels(s)).value(value.applyAsDouble(s)).build());
        }
        return family.build();
    }

    private static GaugeSnapshot gauge(List<SliceSnapshot> all, String name, Unit unit, String help,
            ToDoubleFunction<SliceSnapshot> value) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            family.unit(unit);
        }
        for (SliceSnapshot s : all) {
            family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(s)).value(value.applyAsDouble(s)).build());
        }
        return family.build();
    }

    private static Labels labels(SliceSnapshot s) {
        return Labels.of("slice", s.name(), "bundle", s.bundle());
    }
}
