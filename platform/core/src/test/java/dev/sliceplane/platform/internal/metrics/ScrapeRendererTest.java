package dev.sliceplane.platform.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

class ScrapeRendererTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ScrapeRenderer renderer = new ScrapeRenderer();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void textHasEverySourcesFamiliesAndTheFreshness() throws IOException {
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        sources.add("one", ScrapeSourcesTest.gauge("first_value", 1));
        sources.add("two", ScrapeSourcesTest.gauge("second_value", 2));

        String text = write(sources, PrometheusTextFormatWriter.create());

        assertTrue(text.contains("# TYPE first_value gauge\nfirst_value 1.0\n"), text);
        assertTrue(text.contains("# TYPE second_value gauge\nsecond_value 2.0\n"), text);
        assertTrue(text.contains("sliceplane_scrape_source_age_seconds{source=\"two\"}"), text);
    }

    @Test
    void openMetricsEndsOnceWithEof() throws IOException {
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        sources.add("one", ScrapeSourcesTest.gauge("first_value", 1));
        sources.add("two", ScrapeSourcesTest.gauge("second_value", 2));

        String text = write(sources, OpenMetricsTextFormatWriter.create());

        assertTrue(text.endsWith("\n# EOF\n"), text);
        assertEquals(text.indexOf("# EOF"), text.lastIndexOf("# EOF"), text);
        assertTrue(text.contains("# TYPE first_value gauge\n# HELP first_value test\nfirst_value 1.0\n"), text);
    }

    @Test
    void aSourceIsWrittenAgainOnlyWhenItsFamiliesChange() throws IOException {
        MetricSnapshots[] current = {ScrapeSourcesTest.gauge("cached_value", 1).collect()};
        MultiCollector sameUntilChanged = () -> current[0];
        ScrapeSources sources = new ScrapeSources(pool, Duration.ofSeconds(5));
        sources.add("cached", sameUntilChanged);
        CountingWriter writer = new CountingWriter(PrometheusTextFormatWriter.create());

        write(sources, writer);
        String again = write(sources, writer);
        int afterTwoScrapes = writer.cachedValueWrites.get();
        current[0] = ScrapeSourcesTest.gauge("cached_value", 2).collect();
        String changed = write(sources, writer);

        assertEquals(1, afterTwoScrapes, "the unchanged families were written once");
        assertTrue(again.contains("cached_value 1.0"), again);
        assertTrue(changed.contains("cached_value 2.0"), changed);
        assertEquals(2, writer.cachedValueWrites.get());
    }

    private String write(ScrapeSources sources, ExpositionFormatWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.write(sources.scrape(), writer, EscapingScheme.DEFAULT, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Counts the writes of families holding {@code cached_value}. */
    private static final class CountingWriter implements ExpositionFormatWriter {
        private final ExpositionFormatWriter delegate;
        final AtomicInteger cachedValueWrites = new AtomicInteger();

        CountingWriter(ExpositionFormatWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean accepts(String acceptHeader) {
            return delegate.accepts(acceptHeader);
        }

        @Override
        public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme escaping) throws IOException {
            if (snapshots.stream().anyMatch(s -> s.getMetadata().getName().equals("cached_value"))) {
                cachedValueWrites.incrementAndGet();
            }
            delegate.write(out, snapshots, escaping);
        }

        @Override
        public String getContentType() {
            return delegate.getContentType();
        }
    }
}
