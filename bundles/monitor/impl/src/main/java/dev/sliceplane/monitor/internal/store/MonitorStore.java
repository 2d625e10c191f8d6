package dev.sliceplane.monitor.internal.store;

import static dev.sliceplane.monitor.internal.store.Rates.NO_TIME;
import static dev.sliceplane.monitor.internal.store.Rates.orNaN;
import static dev.sliceplane.monitor.internal.store.Rates.perSecond;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.monitor.api.SliverFigures;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceUsage;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * The monitor's state, fed one VMM sample at a time: the latest figures of the node, each sliver
 * and each management slice (published together, so a reader sees one sample), the counters of
 * the previous sample each rate is computed from, and each subject's history. A subject missing
 * from a sample loses its history. Plain Java, so tests feed it samples with chosen times; the
 * DS component wires it to the VMM and the platform.
 *
 * <p>Thread-safe: samples and events are applied under this object's lock (the VMM delivers them
 * one at a time anyway); readers see the latest published {@link Latest} and read histories under
 * each subject's own lock, so a query never waits for a sample to be processed.
 */
public final class MonitorStore implements Monitor, SampleTiming {

    /** What the query API answers before the second sample tells the period. */
    static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);
    private static final Pattern LOOPBACK = Pattern.compile("lo\\d*");
    private static final Comparator<SliverFigures> BY_SLIVER = Comparator.comparing(SliverFigures::name);

    /** The figures of one sample, published as a whole. */
    private record Latest(NodeFigures node, List<SliverFigures> slivers, List<SliceFigures> slices, Duration period) {
    }

    private final SampleContext context;
    private final LimitCache limits = new LimitCache();
    private final SubjectHistory nodeHistory = new SubjectHistory(Metrics.NODE);
    private final Map<String, SliverTrack> slivers = new ConcurrentHashMap<>();
    private final Map<String, SliceTrack> slices = new ConcurrentHashMap<>();
    private volatile Latest latest = new Latest(null, List.of(), List.of(), DEFAULT_PERIOD);

    // The previous sample's node counters and the scratch arrays of history values; guarded by this.
    private long nodeAtNanos = NO_TIME;
    private double nodeRx;
    private double nodeTx;
    private final double[] nodeValues = new double[Metrics.NODE.size()];
    private final double[] sliverValues = new double[Metrics.SLIVER.size()];
    private final double[] sliceValues = new double[Metrics.SLICE.size()];

    public MonitorStore(SampleContext context) {
        this.context = context;
    }

    /** Applies one VMM sample: new figures, rates against the previous sample, history. */
    public synchronized void sampled(VmmSnapshot snapshot) {
        Instant at = snapshot.at();
        long atNanos = Rates.epochNanos(at);
        long atMillis = at.toEpochMilli();
        Latest previous = latest;
        Duration period = previous.node() == null || !at.isAfter(previous.node().at()) ? previous.period()
                : Duration.between(previous.node().at(), at);

        NodeFigures node = node(snapshot, atNanos);
        recordNode(node, atMillis);
        List<SliverFigures> sliverFigures = slivers(snapshot, atNanos, atMillis);
        List<SliceFigures> sliceFigures = slices(at, atNanos, atMillis);
        latest = new Latest(node, sliverFigures, sliceFigures, period);
    }

    /** Applies one VMM event: a created sliver's limits are looked up afresh. */
    public void event(VmmEvent event) {
        if (event.kind() == VmmEvent.Kind.CREATED || event.kind() == VmmEvent.Kind.DESTROYED) {
            limits.invalidate(event.sliver());
        }
    }

    @Override
    public Optional<Instant> nextSampleDue() {
        Latest now = latest;
        return now.node() == null ? Optional.empty() : Optional.of(now.node().at().plus(now.period()));
    }

    /** The time between the latest two samples ({@link #DEFAULT_PERIOD} before there were two). */
    @Override
    public Duration samplePeriod() {
        return latest.period();
    }

    private NodeFigures node(VmmSnapshot snapshot, long atNanos) {
        NodeStatus status = snapshot.node();
        long rx = 0;
        long tx = 0;
        for (NodeStatus.NetworkCounters counters : status.network()) {
            if (!LOOPBACK.matcher(counters.device()).matches()) {
                rx += counters.receiveBytes();
                tx += counters.transmitBytes();
            }
        }
        Double rxRate = perSecond(rx, nodeRx, atNanos, nodeAtNanos);
        Double txRate = perSecond(tx, nodeTx, atNanos, nodeAtNanos);
        nodeAtNanos = atNanos;
        nodeRx = rx;
        nodeTx = tx;
        Double busy = status.cpuBusy();
        NodeStatus.Filesystem disk = status.disk();
        return new NodeFigures(snapshot.at(), context.hostname(), snapshot.backend(), snapshot.simulated(),
                status.cores(), busy, busy == null ? null : status.cores() * (1 - busy), status.load1(),
                status.load5(), status.load15(), status.memTotalBytes(), status.memAvailableBytes(),
                status.swapTotalBytes(), status.swapFreeBytes(), disk == null ? null : disk.mountPoint(),
                disk == null ? 0 : disk.sizeBytes(), disk == null ? 0 : disk.availBytes(), status.uptimeSeconds(),
                context.clockOffsetSeconds(), snapshot.slivers().size(), rx, tx, rxRate, txRate);
    }

    private void recordNode(NodeFigures node, long atMillis) {
        double[] v = nodeValues;
        v[0] = orNaN(node.cpuBusy());
        v[1] = orNaN(node.cpuFree());
        v[2] = node.load1();
        v[3] = node.memAvailableBytes();
        v[4] = node.memUsed();
        v[5] = node.swapFreeBytes();
        v[6] = node.diskAvailBytes();
        v[7] = orNaN(node.netRxRate());
        v[8] = orNaN(node.netTxRate());
        v[9] = node.slivers();
        v[10] = orNaN(node.clockOffsetSeconds());
        nodeHistory.record(atMillis, v);
    }

    private List<SliverFigures> slivers(VmmSnapshot snapshot, long atNanos, long atMillis) {
        limits.prepare(snapshot, atMillis, context);
        Map<String, Instant> leaseEnds = context.leaseEnds();
        Instant at = snapshot.at();
        List<SliverFigures> figures = new ArrayList<>(snapshot.slivers().size());
        for (SliverUsage usage : snapshot.slivers()) {
            SliverTrack track = slivers.computeIfAbsent(usage.name(), name -> new SliverTrack());
            track.sequence = snapshot.sequence();
            double rx = orNaN(usage.networkRxBytes());
            double tx = orNaN(usage.networkTxBytes());
            Double cpu = perSecond(usage.cpuSeconds(), track.cpuSeconds, atNanos, track.atNanos);
            Double rxRate = perSecond(rx, track.rx, atNanos, track.atNanos);
            Double txRate = perSecond(tx, track.tx, atNanos, track.atNanos);
            track.atNanos = atNanos;
            track.cpuSeconds = usage.cpuSeconds();
            track.rx = rx;
            track.tx = tx;
            SliverFigures f = new SliverFigures(at, usage.name(), usage.name(), usage.state().name(), cpu,
                    usage.cpuSeconds(), usage.memoryBytes(), usage.memoryPeakBytes(), limits.memoryLimit(usage.name()),
                    usage.processes(), usage.diskBytes(), usage.networkRxBytes(), usage.networkTxBytes(), rxRate,
                    txRate, usage.oomKills(), leaseEnds.get(usage.name()));
            figures.add(f);
            double[] v = sliverValues;
            v[0] = orNaN(cpu);
            v[1] = orNaN(usage.memoryBytes());
            v[2] = usage.processes();
            v[3] = orNaN(usage.diskBytes());
            v[4] = orNaN(rxRate);
            v[5] = orNaN(txRate);
            track.history.record(atMillis, v);
        }
        if (slivers.size() > figures.size()) {
            slivers.entrySet().removeIf(e -> {
                boolean gone = e.getValue().sequence != snapshot.sequence();
                if (gone) {
                    limits.invalidate(e.getKey());
                }
                return gone;
            });
        }
        if (!isSorted(figures)) {
            figures.sort(BY_SLIVER);
        }
        return List.copyOf(figures);
    }

    private List<SliceFigures> slices(Instant at, long atNanos, long atMillis) {
        List<SliceSnapshot> snapshots = context.managementSlices();
        List<SliceFigures> figures = new ArrayList<>(snapshots.size());
        for (SliceSnapshot slice : snapshots) {
            SliceTrack track = slices.computeIfAbsent(slice.name(), name -> new SliceTrack());
            track.atNanos = atNanos;
            SliceUsage usage = slice.usage();
            long readNanos = slice.sampledAt() == null ? atNanos : Rates.epochNanos(slice.sampledAt());
            Double cpu = perSecond(usage.cpuNanos() / 1e9, track.cpuSeconds, readNanos, track.readNanos);
            Double allocatedRate = perSecond(usage.allocatedBytes(), track.allocated, readNanos, track.readNanos);
            track.readNanos = readNanos;
            track.cpuSeconds = usage.cpuNanos() / 1e9;
            track.allocated = usage.allocatedBytes();
            figures.add(new SliceFigures(at, slice.name(), slice.bundle(), slice.state().name(), cpu,
                    usage.cpuNanos() / 1e9, slice.limits().cpuShare(), usage.allocatedBytes(), usage.liveThreads(),
                    usage.queuedTasks(), usage.completedTasks(), usage.httpRequests(), usage.dataBytes()));
            double[] v = sliceValues;
            v[0] = orNaN(cpu);
            v[1] = usage.liveThreads();
            v[2] = usage.queuedTasks();
            v[3] = orNaN(allocatedRate);
            track.history.record(atMillis, v);
        }
        if (slices.size() > figures.size()) {
            slices.values().removeIf(track -> track.atNanos != atNanos);
        }
        figures.sort(Comparator.comparing(SliceFigures::name));
        return List.copyOf(figures);
    }

    private static boolean isSorted(List<SliverFigures> figures) {
        for (int i = 1; i < figures.size(); i++) {
            if (figures.get(i - 1).name().compareTo(figures.get(i).name()) > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<NodeFigures> node() {
        return Optional.ofNullable(latest.node());
    }

    @Override
    public List<SliverFigures> slivers() {
        return latest.slivers();
    }

    @Override
    public List<SliceFigures> managementSlices() {
        return latest.slices();
    }

    @Override
    public History history(Series series, Resolution resolution) {
        SubjectHistory subject = switch (series.scope()) {
            case NODE -> series.subject().equals(nodeName()) ? nodeHistory : null;
            case SLIVER -> track(slivers.get(series.subject()));
            case SLICE -> track(slices.get(series.subject()));
        };
        if (subject == null) {
            throw new IllegalArgumentException("unknown subject '" + series.subject() + "': "
                    + switch (series.scope()) {
                        case NODE -> "this node is '" + nodeName() + "'";
                        case SLIVER -> "no such sliver lives here";
                        case SLICE -> "no such management slice runs here";
                    });
        }
        History history = subject.history(series, resolution);
        if (history == null) {
            throw new IllegalArgumentException("unknown metric '" + series.metric() + "' (known for a "
                    + series.scope().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + String.join(", ", subject.metrics()) + ")");
        }
        return history;
    }

    @Override
    public List<Series> series() {
        List<Series> series = new ArrayList<>();
        String node = nodeName();
        Metrics.NODE.forEach(m -> series.add(new Series(Series.Scope.NODE, node, m)));
        for (SliverFigures sliver : latest.slivers()) {
            Metrics.SLIVER.forEach(m -> series.add(new Series(Series.Scope.SLIVER, sliver.name(), m)));
        }
        for (SliceFigures slice : latest.slices()) {
            Metrics.SLICE.forEach(m -> series.add(new Series(Series.Scope.SLICE, slice.name(), m)));
        }
        return series;
    }

    /** The node's name as the latest sample had it (the host name may become known later). */
    private String nodeName() {
        NodeFigures node = latest.node();
        return node != null ? node.hostname() : context.hostname();
    }

    private static SubjectHistory track(Track track) {
        return track == null ? null : track.history;
    }

    /** A subject's previous counters and its history. */
    private abstract static class Track {
        final SubjectHistory history;
        /** Sample time of the previous counters; guarded by the store's lock. */
        long atNanos = NO_TIME;

        Track(List<String> metrics) {
            this.history = new SubjectHistory(metrics);
        }
    }

    private static final class SliverTrack extends Track {
        long sequence;
        double cpuSeconds;
        double rx;
        double tx;

        SliverTrack() {
            super(Metrics.SLIVER);
        }
    }

    private static final class SliceTrack extends Track {
        long readNanos = NO_TIME;
        double cpuSeconds;
        double allocated;

        SliceTrack() {
            super(Metrics.SLICE);
        }
    }
}
