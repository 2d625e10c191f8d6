package dev.sliceplane.platform.internal.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import dev.sliceplane.platform.internal.metrics.ScrapeSources.Part;
import dev.sliceplane.platform.internal.metrics.ScrapeSources.Scrape;

/**
 * Writes a scrape in the Prometheus text format or OpenMetrics, one source after another, and
 * keeps each source's rendered bytes while its families stay the same object. A source that
 * answers from figures changing once per sample (the monitor's thousands of sliver series) hands
 * out the same families until the next sample, so between samples a scrape copies their bytes
 * instead of formatting them again.
 *
 * <p>Both formats allow families in any order; OpenMetrics ends once, with {@code # EOF}, so each
 * part is kept without it and the marker is written at the end.
 */
final class ScrapeRenderer {

    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    /** How one part was written: for which families, in which format. */
    private record Rendered(MetricSnapshots families, byte[] bytes) {
    }

    /** A format as the scraper asked for it. */
    private record Format(ExpositionFormatWriter writer, EscapingScheme escaping) {
    }

    /** By source, then format; entries of removed sources go with the next scrape that misses them. */
    private final Map<ScrapeSource, Map<Format, Rendered>> cache = new ConcurrentHashMap<>();

    /** True for the formats this class writes (text and OpenMetrics 1.0). */
    static boolean writes(ExpositionFormatWriter writer) {
        return writer instanceof PrometheusTextFormatWriter || writer instanceof OpenMetricsTextFormatWriter;
    }

    void write(Scrape scrape, ExpositionFormatWriter writer, EscapingScheme escaping, OutputStream out)
            throws IOException {
        Format format = new Format(writer, escaping);
        boolean openMetrics = writer instanceof OpenMetricsTextFormatWriter;
        for (Part part : scrape.parts()) {
            Map<Format, Rendered> bySource = cache.computeIfAbsent(part.source(), s -> new ConcurrentHashMap<>());
            Rendered rendered = bySource.get(format);
            if (rendered == null || rendered.families() != part.families()) {
                rendered = new Rendered(part.families(), render(part.families(), format, openMetrics));
                bySource.put(format, rendered);
            }
            out.write(rendered.bytes());
        }
        out.write(render(scrape.freshness(), format, openMetrics));
        if (openMetrics) {
            out.write(EOF);
        }
        if (cache.size() > scrape.parts().size()) {
            cache.keySet().retainAll(scrape.parts().stream().map(Part::source).toList());
        }
    }

    private static byte[] render(MetricSnapshots families, Format format, boolean openMetrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.writer().write(out, families, format.escaping());
        byte[] bytes = out.toByteArray();
        if (openMetrics && endsWith(bytes, EOF)) {
            return Arrays.copyOf(bytes, bytes.length - EOF.length);
        }
        return bytes;
    }

    private static boolean endsWith(byte[] bytes, byte[] suffix) {
        return bytes.length >= suffix.length
                && Arrays.equals(bytes, bytes.length - suffix.length, bytes.length, suffix, 0, suffix.length);
    }
}
