package dev.sliceplane.platform.internal.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import dev.sliceplane.platform.internal.metrics.ScrapeSource.Contribution;

/**
 * Every source of {@code /metrics}, collected in parallel under one deadline per scrape, plus the
 * families that say how fresh each source's contribution is. Registered as the only collector of
 * the servlet's registry, so the freshness families describe the very scrape they appear in.
 */
final class ScrapeSources implements MultiCollector {

    private final List<ScrapeSource> sources = new CopyOnWriteArrayList<>();
    private final Executor executor;
    private final long deadlineNanos;

    ScrapeSources(Executor executor, Duration deadline) {
        this.executor = executor;
        this.deadlineNanos = deadline.toNanos();
    }

    /** Adds {@code collector} under {@code name}, made unique among the sources with {@code #2}, {@code #3}... */
    synchronized void add(String name, MultiCollector collector) {
        String unique = name;
        for (int n = 2; hasName(unique); n++) {
            unique = name + "#" + n;
        }
        sources.add(new ScrapeSource(unique, collector));
    }

    synchronized void remove(MultiCollector collector) {
        sources.removeIf(s -> s.collector() == collector);
    }

    private boolean hasName(String name) {
        return sources.stream().anyMatch(s -> s.name().equals(name));
    }

    /** What one source contributed to a scrape. */
    record Part(ScrapeSource source, MetricSnapshots families) {
    }

    /** One scrape: each source's part, and the families saying how fresh each part is. */
    record Scrape(List<Part> parts, MetricSnapshots freshness) {
    }

    @Override
    public MetricSnapshots collect() {
        Scrape scrape = scrape();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Part part : scrape.parts()) {
            for (MetricSnapshot family : part.families()) {
                out.metricSnapshot(family);
            }
        }
        for (MetricSnapshot family : scrape.freshness()) {
            out.metricSnapshot(family);
        }
        return out.build();
    }

    /** Collects every source in parallel, each until the one deadline of this scrape. */
    Scrape scrape() {
        ScrapeSource[] all = sources.toArray(ScrapeSource[]::new);
        long deadline = System.nanoTime() + deadlineNanos;
        List<CompletableFuture<Contribution>> collections = new ArrayList<>(all.length);
        for (ScrapeSource source : all) {
            collections.add(source.collection(executor));
        }
        List<Part> parts = new ArrayList<>(all.length);
        double[] ages = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            Contribution contribution = all[i].await(collections.get(i), deadline);
            parts.add(new Part(all[i], contribution.families()));
            ages[i] = (System.nanoTime() - contribution.collectedAtNanos()) / 1e9;
        }
        return new Scrape(parts, freshness(all, ages));
    }

    private static MetricSnapshots freshness(ScrapeSource[] all, double[] ages) {
        GaugeSnapshot.Builder age = GaugeSnapshot.builder().name("sliceplane_scrape_source_age_seconds").unit(Unit.SECONDS)
                .help("Age of the families a source contributed to this scrape: about 0 when it answered within its "
                        + "deadline, else the time since its last good answer (since it was added, if it never answered).");
        GaugeSnapshot.Builder duration = GaugeSnapshot.builder().name("sliceplane_scrape_source_duration_seconds")
                .unit(Unit.SECONDS).help("How long the source's last finished collection took.");
        CounterSnapshot.Builder timeouts = CounterSnapshot.builder().name("sliceplane_scrape_source_timeouts")
                .help("Scrapes the source did not answer within its deadline (its last good families were served).");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("sliceplane_scrape_source_errors")
                .help("Collections of the source that failed (its last good families were served).");
        for (int i = 0; i < all.length; i++) {
            Labels source = Labels.of("source", all[i].name());
            age.dataPoint(new GaugeDataPointSnapshot(ages[i], source, null));
            duration.dataPoint(new GaugeDataPointSnapshot(all[i].lastDurationNanos() / 1e9, source, null));
            timeouts.dataPoint(new CounterDataPointSnapshot(all[i].timeouts(), source, null, 0));
            errors.dataPoint(new CounterDataPointSnapshot(all[i].errors(), source, null, 0));
        }
        return new MetricSnapshots(age.build(), duration.build(), timeouts.build(), errors.build());
    }
}
