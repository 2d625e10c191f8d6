package dev.sliceplane.monitor.internal.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.SliverFigures;

/**
 * The monitor's Prometheus families for one sample: the node's ({@code sliceplane_node_*}) and
 * nine per sliver ({@code sliceplane_sliver_*{slice}}), named and typed by the Prometheus
 * conventions (base units, {@code _total} on counters). A figure the monitor does not know
 * ({@code null}) has no series rather than a made-up value. The {@code slice} label takes one
 * value per live sliver, so its cardinality is bounded by the slivers the node holds.
 */
final class MonitorFamilies {

    private static final Unit BYTES = Unit.BYTES;
    private static final Unit SECONDS = Unit.SECONDS;

    private MonitorFamilies() {
    }

    /** The families of one sample; {@code node} is null before the first sample. */
    static MetricSnapshots of(NodeFigures node, List<SliverFigures> slivers) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        if (node != null) {
            addNode(out, node);
        }
        addSlivers(out, slivers);
        return out.build();
    }

    private static void addNode(MetricSnapshots.Builder out, NodeFigures n) {
        out.metricSnapshot(InfoSnapshot.builder().name("sliceplane_node")
                .help("The node's host name and the VMM backend that samples it; always 1.")
                .dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("backend", orEmpty(n.backend()), "hostname", orEmpty(n.hostname()))).build())
                .build());
        out.metricSnapshot(gauge("sliceplane_monitor_sample_timestamp_seconds", SECONDS,
                "When the monitor's latest sample was taken, in seconds since the epoch.",
                n.at().toEpochMilli() / 1e3));
        out.metricSnapshot(gauge("sliceplane_node_simulated", null,
                "1 when the node's figures come from the simulated VMM backend, not a machine.", n.simulated() ? 1 : 0));
        out.metricSnapshot(gauge("sliceplane_node_cpus", null, "Online CPUs.", n.cores()));
        if (n.cpuBusy() != null) {
            out.metricSnapshot(gauge("sliceplane_node_cpu_busy_ratio", Unit.RATIO,
                    "Fraction of all CPUs busy between the last two samples.", n.cpuBusy()));
        }
        out.metricSnapshot(gauge("sliceplane_node_load1", null, "Load average over 1 minute.", n.load1()));
        out.metricSnapshot(gauge("sliceplane_node_load5", null, "Load average over 5 minutes.", n.load5()));
        out.metricSnapshot(gauge("sliceplane_node_load15", null, "Load average over 15 minutes.", n.load15()));
        out.metricSnapshot(gauge("sliceplane_node_memory_total_bytes", BYTES, "Memory (MemTotal).", n.memTotalBytes()));
        out.metricSnapshot(gauge("sliceplane_node_memory_available_bytes", BYTES,
                "Memory available for new work without swapping (MemAvailable).", n.memAvailableBytes()));
        out.metricSnapshot(gauge("sliceplane_node_swap_total_bytes", BYTES, "Swap space (SwapTotal).", n.swapTotalBytes()));
        out.metricSnapshot(gauge("sliceplane_node_swap_free_bytes", BYTES, "Unused swap space (SwapFree).", n.swapFreeBytes()));
        Labels mount = Labels.of("mountpoint", orEmpty(n.diskPath()));
        out.metricSnapshot(GaugeSnapshot.builder().name("sliceplane_node_filesystem_size_bytes").unit(BYTES)
                .help("Size of the filesystem holding the node's data.")
                .dataPoint(new GaugeDataPointSnapshot(n.diskSizeBytes(), mount, null)).build());
        out.metricSnapshot(GaugeSnapshot.builder().name("sliceplane_node_filesystem_avail_bytes").unit(BYTES)
                .help("Bytes unprivileged users may still write on the filesystem holding the node's data.")
                .dataPoint(new GaugeDataPointSnapshot(n.diskAvailBytes(), mount, null)).build());
        out.metricSnapshot(gauge("sliceplane_node_uptime_seconds", SECONDS, "Time since boot.", n.uptimeSeconds()));
        if (n.clockOffsetSeconds() != null) {
            out.metricSnapshot(gauge("sliceplane_node_clock_offset_seconds", SECONDS,
                    "The authority's clock minus this node's, from the last report's round trip.", n.clockOffsetSeconds()));
        }
        out.metricSnapshot(gauge("sliceplane_node_slivers", null, "Live slivers.", n.slivers()));
        out.metricSnapshot(counter("sliceplane_node_network_receive_bytes", "Bytes received on all interfaces "
                + "but loopback since boot.", n.netRxBytes()));
        out.metricSnapshot(counter("sliceplane_node_network_transmit_bytes", "Bytes sent on all interfaces "
                + "but loopback since boot.", n.netTxBytes()));
    }

    private static void addSlivers(MetricSnapshots.Builder out, List<SliverFigures> slivers) {
        // One Labels per sliver, shared by its nine series. Two slivers of one slice would give
        // duplicate series, which Prometheus rejects: the first wins (the node manager gives a
        // slice one sliver per node, so this only guards against a backend's oddity).
        List<SliverFigures> kept = new ArrayList<>(slivers.size());
        List<Labels> labels = new ArrayList<>(slivers.size());
        Set<String> seen = new HashSet<>();
        for (SliverFigures s : slivers) {
            String slice = s.slice() != null ? s.slice() : s.name();
            if (slice != null && seen.add(slice)) {
                kept.add(s);
                labels.add(Labels.of("slice", slice));
            }
        }
        out.metricSnapshot(sliverCounter(kept, labels, "sliceplane_sliver_cpu_seconds", SECONDS,
                "CPU time the sliver used since it was created.", SliverFigures::cpuSeconds));
        out.metricSnapshot(sliverGauge(kept, labels, "sliceplane_sliver_memory_bytes", BYTES,
                "Memory the sliver uses.", SliverFigures::memBytes));
        out.metricSnapshot(sliverGauge(kept, labels, "sliceplane_sliver_memory_limit_bytes", BYTES,
                "The sliver's memory limit.", SliverFigures::memLimitBytes));
        out.metricSnapshot(sliverGauge(kept, labels, "sliceplane_sliver_processes", null,
                "Processes and threads in the sliver.", SliverFigures::processes));
        out.metricSnapshot(sliverGauge(kept, labels, "sliceplane_sliver_disk_bytes", BYTES,
                "Bytes under the sliver's home.", SliverFigures::diskBytes));
        out.metricSnapshot(sliverCounter(kept, labels, "sliceplane_sliver_network_receive_bytes", BYTES,
                "Bytes the sliver received, where the backend can attribute traffic.", SliverFigures::netRxBytes));
        out.metricSnapshot(sliverCounter(kept, labels, "sliceplane_sliver_network_transmit_bytes", BYTES,
                "Bytes the sliver sent, where the backend can attribute traffic.", SliverFigures::netTxBytes));
        out.metricSnapshot(sliverCounter(kept, labels, "sliceplane_sliver_oom_kills", null,
                "Processes of the sliver killed for exceeding its memory limit.", SliverFigures::oomKills));
        out.metricSnapshot(sliverGauge(kept, labels, "sliceplane_sliver_lease_end_timestamp_seconds", SECONDS,
                "When the sliver's lease ends unless renewed, in seconds since the epoch.",
                s -> s.leaseEnd() != null ? s.leaseEnd().toEpochMilli() / 1e3 : null));
    }

    private static String orEmpty(String value) {
        return value != null ? value : "";
    }

    private static GaugeSnapshot gauge(String name, Unit unit, String help, double value) {
        return new GaugeSnapshot(new MetricMetadata(name, help, unit),
                List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return new CounterSnapshot(new MetricMetadata(name, help, BYTES),
                List.of(new CounterDataPointSnapshot(value, Labels.EMPTY, null, 0)));
    }

    private static GaugeSnapshot sliverGauge(List<SliverFigures> slivers, List<Labels> labels, String name, Unit unit,
            String help, Function<SliverFigures, Number> figure) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(slivers.size());
        for (int i = 0; i < slivers.size(); i++) {
            Number value = figure.apply(slivers.get(i));
            if (value != null) {
                points.add(new GaugeDataPointSnapshot(value.doubleValue(), labels.get(i), null));
            }
        }
        return new GaugeSnapshot(new MetricMetadata(name, help, unit), points);
    }

    private static CounterSnapshot sliverCounter(List<SliverFigures> slivers, List<Labels> labels, String name,
            Unit unit, String help, Function<SliverFigures, Number> figure) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(slivers.size());
        for (int i = 0; i < slivers.size(); i++) {
            Number value = figure.apply(slivers.get(i));
            if (value != null) {
                points.add(new CounterDataPointSnapshot(value.doubleValue(), labels.get(i), null, 0));
            }
        }
        return new CounterSnapshot(new MetricMetadata(name, help, unit), points);
    }
}
