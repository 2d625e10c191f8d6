package dev.sliceplane.monitor.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.api.SliverFigures;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

class MonitorMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$",
            Pattern.MULTILINE);

    private final FakeMonitor monitor = new FakeMonitor();
    private final MonitorMetrics metrics = new MonitorMetrics();

    @Test
    void noMonitorNoFamilies() {
        assertEquals(0, metrics.collect().size());
        metrics.setMonitor(monitor);
        metrics.unsetMonitor(monitor);
        assertEquals(0, metrics.collect().size());
    }

    @Test
    void nodeFamiliesInBaseUnits() throws IOException {
        monitor.node = FakeMonitor.node(0);
        metrics.setMonitor(monitor);

        String text = render(PrometheusTextFormatWriter.create());

        assertEquals(0.25, value(text, "sliceplane_node_cpu_busy_ratio"));
        assertEquals(1.5, value(text, "sliceplane_node_load1"));
        assertEquals(8L << 30, value(text, "sliceplane_node_memory_total_bytes"));
        assertEquals(6L << 30, value(text, "sliceplane_node_memory_available_bytes"));
        assertEquals(40L << 30, value(text, "sliceplane_node_filesystem_avail_bytes{mountpoint=\"/var/lib/sliceplane\"}"));
        assertEquals(2_000_000, value(text, "sliceplane_node_network_transmit_bytes_total"));
        assertEquals(1, value(text, "sliceplane_node_simulated"));
        assertEquals(1, value(text, "sliceplane_node_info{backend=\"simulated\",hostname=\"node1.example.org\"}"));
        assertEquals(FakeMonitor.AT.getEpochSecond(), value(text, "sliceplane_monitor_sample_timestamp_seconds"));
        assertFalse(text.contains("sliceplane_node_clock_offset_seconds"), "an unknown offset has no series:\n" + text);
    }

    @Test
    void sliverFamiliesCarryTheSliceLabelAndSkipUnknownFigures() throws IOException {
        monitor.node = FakeMonitor.node(2);
        monitor.slivers = List.of(FakeMonitor.sliver("princeton_codeen", 12.5), FakeMonitor.sliver("mit_chord", 3));
        metrics.setMonitor(monitor);

        String text = render(PrometheusTextFormatWriter.create());

        assertEquals(12.5, value(text, "sliceplane_sliver_cpu_seconds_total{slice=\"princeton_codeen\"}"));
        assertEquals(64L << 20, value(text, "sliceplane_sliver_memory_bytes{slice=\"mit_chord\"}"));
        assertEquals(256L << 20, value(text, "sliceplane_sliver_memory_limit_bytes{slice=\"mit_chord\"}"));
        assertEquals(3, value(text, "sliceplane_sliver_processes{slice=\"mit_chord\"}"));
        assertEquals(2, value(text, "sliceplane_sliver_oom_kills_total{slice=\"mit_chord\"}"));
        assertEquals(FakeMonitor.AT.getEpochSecond() + 600,
                value(text, "sliceplane_sliver_lease_end_timestamp_seconds{slice=\"mit_chord\"}"));
        assertFalse(text.contains("sliceplane_sliver_network_receive_bytes_total{"),
                "a backend that cannot attribute traffic has no network series:\n" + text);
    }

    @Test
    void everyFamilyHasHelpAndTypeAndEachSliverAtMostTenSeries() throws IOException {
        monitor.node = FakeMonitor.node(1000);
        monitor.slivers = FakeMonitor.slivers(1000);
        metrics.setMonitor(monitor);

        String text = render(PrometheusTextFormatWriter.create());

        Set<String> help = names(text, "^# HELP (\\S+) ");
        Set<String> type = names(text, "^# TYPE (\\S+) ");
        Map<String, Integer> seriesPerSlice = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        int samples = 0;
        while (m.find()) {
            samples++;
            String family = m.group(1).replaceAll("_total$", "");
            String familyOrInfo = m.group(1);
            assertTrue(help.contains(family) || help.contains(familyOrInfo), "no HELP for " + m.group(1));
            assertTrue(type.contains(family) || type.contains(familyOrInfo), "no TYPE for " + m.group(1));
            if (m.group(2) != null && m.group(2).startsWith("{slice=")) {
                seriesPerSlice.merge(m.group(2), 1, Integer::sum);
            }
        }
        assertEquals(1000, seriesPerSlice.size());
        assertTrue(seriesPerSlice.values().stream().allMatch(n -> n <= 10), seriesPerSlice.toString());
        assertTrue(samples > 7000, "samples: " + samples);
    }

    @Test
    void openMetricsHasUnitsAndEnds() throws IOException {
        monitor.node = FakeMonitor.node(1);
        monitor.slivers = List.of(FakeMonitor.sliver("princeton_codeen", 12.5));
        metrics.setMonitor(monitor);

        String text = render(OpenMetricsTextFormatWriter.create());

        assertTrue(text.contains("# UNIT sliceplane_sliver_cpu_seconds seconds"), text);
        assertTrue(text.contains("sliceplane_sliver_cpu_seconds_total{slice=\"princeton_codeen\"} 12.5"), text);
        assertTrue(text.endsWith("# EOF\n"), text);
    }

    @Test
    void familiesAreBuiltOncePerSample() {
        monitor.node = FakeMonitor.node(2);
        monitor.slivers = List.of(FakeMonitor.sliver("a_one", 1), FakeMonitor.sliver("b_two", 2));
        metrics.setMonitor(monitor);

        MetricSnapshots first = metrics.collect();
        monitor.slivers = new ArrayList<>(monitor.slivers);
        MetricSnapshots sameFigures = metrics.collect();
        List<SliverFigures> next = new ArrayList<>(monitor.slivers);
        next.set(1, FakeMonitor.sliver("b_two", 2.5));
        monitor.slivers = next;
        MetricSnapshots nextSample = metrics.collect();

        assertSame(first, sameFigures);
        assertNotSame(first, nextSample);
    }

    @Test
    void twoSliversOfOneSliceGiveOneSeries() throws IOException {
        monitor.slivers = List.of(FakeMonitor.sliver("dup_slice", 1), FakeMonitor.sliver("dup_slice", 2));
        metrics.setMonitor(monitor);

        String text = render(PrometheusTextFormatWriter.create());

        assertEquals(1, value(text, "sliceplane_sliver_cpu_seconds_total{slice=\"dup_slice\"}"));
    }

    private String render(ExpositionFormatWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, metrics.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Set<String> names(String text, String regex) {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
