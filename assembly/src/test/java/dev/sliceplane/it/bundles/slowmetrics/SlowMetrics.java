package dev.sliceplane.it.bundles.slowmetrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A {@code /metrics} source that answers its first collection at once and then hangs for a
 * minute on every other, as a source stuck on a lock or a slow disk would.
 */
@Component(service = MultiCollector.class)
public final class SlowMetrics implements MultiCollector {

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public MetricSnapshots collect() {
        int call = calls.incrementAndGet();
        if (call > 1) {
            try {
                TimeUnit.MINUTES.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return MetricSnapshots.of(GaugeSnapshot.builder().name("it_slow_calls").help("Collections started.")
                .dataPoint(new GaugeDataPointSnapshot(call, Labels.EMPTY, null)).build());
    }
}
