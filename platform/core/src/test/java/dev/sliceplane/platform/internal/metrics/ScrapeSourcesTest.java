package dev.sliceplane.platform.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

class ScrapeSourcesTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    @Test
    void everySourceContributesItsFamiliesAndAFreshAge() throws IOException {
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        sources.add("one", gauge("first_value", 1));
        sources.add("two", gauge("second_value", 2));

        String text = render(sources);

        assertTrue(text.contains("first_value 1.0"), text);
        assertTrue(text.contains("second_value 2.0"), text);
        assertTrue(value(text, "sliceplane_scrape_source_age_seconds{source=\"one\"}") < 1, text);
        assertEquals(0, value(text, "sliceplane_scrape_source_timeouts_total{source=\"two\"}"), text);
    }

    @Test
    void aHungSourceServesItsLastGoodFamiliesWithinTheDeadlineAndHoldsOneThread() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MultiCollector hangsAfterFirst = () -> {
            int call = calls.incrementAndGet();
            if (call > 1) {
                awaitRelease();
            }
            return gauge("slow_value", call).collect();
        };
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofMillis(200));
        sources.add("slow", hangsAfterFirst);
        sources.add("fast", gauge("fast_value", 7));
        render(sources);

        long start = System.nanoTime();
        String stale = render(sources);
        String staleAgain = render(sources);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(elapsedMillis < 5_000, "two scrapes past a hung source took " + elapsedMillis + " ms");
        assertTrue(staleAgain.contains("slow_value 1.0"), staleAgain);
        assertTrue(staleAgain.contains("fast_value 7.0"), staleAgain);
        assertTrue(value(stale, "sliceplane_scrape_source_age_seconds{source=\"slow\"}") >= 0.2, stale);
        assertEquals(2, value(staleAgain, "sliceplane_scrape_source_timeouts_total{source=\"slow\"}"), staleAgain);
        assertEquals(0, value(staleAgain, "sliceplane_scrape_source_timeouts_total{source=\"fast\"}"), staleAgain);
        assertEquals(2, calls.get(), "the second scrape must wait on the hung collection, not start another");

        release.countDown();
        String fresh = awaitRender(sources, "slow_value 3.0");
        assertTrue(value(fresh, "sliceplane_scrape_source_age_seconds{source=\"slow\"}") < 1, fresh);
    }

    @Test
    void aFailingSourceServesItsLastGoodFamiliesAndCountsTheError() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        MultiCollector failsAfterFirst = () -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("broken");
            }
            return gauge("flaky_value", 5).collect();
        };
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        sources.add("flaky", failsAfterFirst);
        render(sources);

        String text = render(sources);

        assertTrue(text.contains("flaky_value 5.0"), text);
        assertEquals(1, value(text, "sliceplane_scrape_source_errors_total{source=\"flaky\"}"), text);
    }

    @Test
    void sourcesWithTheSameNameAreToldApartAndRemovedByCollector() throws IOException {
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        MultiCollector first = gauge("a_value", 1);
        sources.add("bundle", first);
        sources.add("bundle", gauge("b_value", 2));
        String both = render(sources);
        sources.remove(first);
        String one = render(sources);

        assertTrue(both.contains("source=\"bundle\"") && both.contains("source=\"bundle#2\""), both);
        assertTrue(!one.contains("a_value") && !one.contains("source=\"bundle\"}"), one);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String awaitRender(ScrapeSources sources, String expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = render(sources);
        while (!text.contains(expected) && System.nanoTime() < until) {
            Thread.sleep(20);
            text = render(sources);
        }
        assertTrue(text.contains(expected), text);
        return text;
    }

    static MultiCollector gauge(String name, double value) {
        return () -> MetricSnapshots.of(GaugeSnapshot.builder().name(name).help("test")
                .dataPoint(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)).build());
    }

    static String render(MultiCollector collector) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, collector.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The value of the sample line starting with {@code series}. */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
