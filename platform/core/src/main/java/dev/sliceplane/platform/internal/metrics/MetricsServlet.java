package dev.sliceplane.platform.internal.metrics;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.internal.health.HealthAggregator;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;

/**
 * {@code /metrics}: the node's metrics in the Prometheus text format or OpenMetrics, chosen by
 * the scraper's Accept header. The platform contributes JVM, slice and health families; other
 * bundles contribute theirs by registering a {@link MultiCollector} service (whiteboard).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends PrometheusMetricsServlet {

    private static final long serialVersionUID = 1L;

    private final transient PrometheusRegistry registry;

    @Activate
    public MetricsServlet(@Reference SliceRegistry slices, @Reference HealthAggregator health) {
        this(platformRegistry(slices, health));
    }

    private MetricsServlet(PrometheusRegistry registry) {
        super(registry);
        this.registry = registry;
    }

    private static PrometheusRegistry platformRegistry(SliceRegistry slices, HealthAggregator health) {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        registry.register(new SliceMetrics(slices, health));
        return registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCollector(MultiCollector collector) {
        registry.register(collector);
    }

    void removeCollector(MultiCollector collector) {
        registry.unregister(collector);
    }
}
