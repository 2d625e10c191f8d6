package dev.sliceplane.monitor.internal.metrics;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.SliverFigures;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The monitor's families for the platform's {@code /metrics} (a whiteboard {@link MultiCollector}).
 * Figures change only once per VMM sample while Prometheus may scrape more often, so the families
 * of the latest sample are built once and served again until the figures change. Without a
 * {@link Monitor} service there are no families.
 */
@Component(service = MultiCollector.class)
public final class MonitorMetrics implements MultiCollector {

    /** The families built from one reading of the monitor. */
    private record Built(Optional<NodeFigures> node, List<SliverFigures> slivers, MetricSnapshots families) {
    }

    private volatile Monitor monitor;
    private volatile Built latest;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMonitor(Monitor monitor) {
        this.monitor = monitor;
        latest = null;
    }

    void unsetMonitor(Monitor gone) {
        // Under a greedy reference the replacement may be bound before the old one is unbound.
        if (monitor == gone) {
            monitor = null;
            latest = null;
        }
    }

    @Override
    public MetricSnapshots collect() {
        Monitor current = monitor;
        if (current == null) {
            return new MetricSnapshots();
        }
        Optional<NodeFigures> node = current.node();
        List<SliverFigures> slivers = current.slivers();
        Built last = latest;
        if (last != null && same(last.node(), node) && same(last.slivers(), slivers)) {
            return last.families();
        }
        Built built = new Built(node, slivers, MonitorFamilies.of(node.orElse(null), slivers));
        latest = built;
        return built.families();
    }

    /** Identity first: a monitor that hands out the same immutable objects per sample costs nothing. */
    private static boolean same(Object cached, Object now) {
        return cached == now || cached.equals(now);
    }
}
