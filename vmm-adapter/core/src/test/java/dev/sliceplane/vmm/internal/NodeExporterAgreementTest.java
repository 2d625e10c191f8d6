package dev.sliceplane.vmm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.NodeStatus;

/**
 * The node status agrees with Prometheus node_exporter (Debian's prometheus-node-exporter,
 * which {@code .ci/run} installs) read at the same moment: each of its figures lies between
 * two of our readings taken just before and just after its scrape.
 */
class NodeExporterAgreementTest {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-node-exporter");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static Process exporter;
    private static URI metrics;

    @TempDir
    static Path data;

    @BeforeAll
    static void startExporter() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(BINARY)) {
            if (ci) {
                fail(BINARY + " is missing; .ci/run installs it (apt-get install prometheus-node-exporter)");
            }
            Assumptions.abort("node_exporter comparison skipped: install Debian's prometheus-node-exporter");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        exporter = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults", "--collector.cpu", "--collector.loadavg", "--collector.meminfo",
                "--collector.filesystem", "--collector.netdev", "--collector.stat", "--collector.time")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                scrape();
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline && exporter.isAlive(), "node_exporter did not start");
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopExporter() {
        if (exporter != null) {
            exporter.destroy();
        }
    }

    @Test
    void figuresAgreeWithNodeExporter() throws Exception {
        ProcNodeStatusReader reader = ProcNodeStatusReader.forThisMachine(data);
        NodeStatus before = reader.read();
        Map<String, Double> scraped = scrape();
        NodeStatus after = reader.read();

        assertEquals(before.memTotalBytes(), scraped.get("node_memory_MemTotal_bytes"), 0.5);
        assertBetween("MemAvailable", before.memAvailableBytes(), after.memAvailableBytes(),
                scraped.get("node_memory_MemAvailable_bytes"), 16 << 20);
        assertEquals(before.swapTotalBytes(), scraped.get("node_memory_SwapTotal_bytes"), 0.5);
        assertEquals(before.bootTimeSeconds(), scraped.get("node_boot_time_seconds"), 0.5);
        assertEquals(before.cores(), (int) scraped.keySet().stream()
                .filter(k -> k.startsWith("node_cpu_seconds_total{") && k.contains("mode=\"idle\"")).count());
        assertBetween("load1", before.load1(), after.load1(), scraped.get("node_load1"), 0.01);
        assertBetween("uptime", before.uptimeSeconds(), after.uptimeSeconds(),
                scraped.get("node_time_seconds") - scraped.get("node_boot_time_seconds"), 1.0);

        for (String mode : List.of("user", "system", "idle", "iowait", "softirq", "steal")) {
            assertBetween("cpu " + mode, cpuMode(before, mode), cpuMode(after, mode), sumOf(scraped,
                    "node_cpu_seconds_total{", "mode=\"" + mode + "\""), 0.02 * before.cores());
        }
        // Debian's node_exporter leaves out lo; compare every interface it does report.
        int compared = 0;
        for (NodeStatus.NetworkCounters nic : before.network()) {
            Double received = scraped.get("node_network_receive_bytes_total{device=\"" + nic.device() + "\"}");
            if (received != null) {
                NodeStatus.NetworkCounters later = device(after, nic.device());
                assertBetween(nic.device() + " receive", nic.receiveBytes(), later.receiveBytes(), received, 0);
                assertBetween(nic.device() + " transmit", nic.transmitBytes(), later.transmitBytes(),
                        scraped.get("node_network_transmit_bytes_total{device=\"" + nic.device() + "\"}"), 0);
                compared++;
            }
        }
        assertTrue(compared > 0, "no network interface reported by both");

        String fs = "{device=\"" + before.disk().device() + "\",fstype=\"" + before.disk().type() + "\",mountpoint=\""
                + before.disk().mountPoint() + "\"}";
        Double size = scraped.get("node_filesystem_size_bytes" + fs);
        Assumptions.assumeTrue(size != null, "node_exporter does not report the data directory's filesystem " + fs);
        assertEquals(before.disk().sizeBytes(), size, 0.5);
        assertBetween("filesystem avail", before.disk().availBytes(), after.disk().availBytes(),
                scraped.get("node_filesystem_avail_bytes" + fs), 64 << 20);
    }

    private static double cpuMode(NodeStatus status, String mode) {
        NodeStatus.CpuTimes cpu = status.cpu();
        return switch (mode) {
            case "user" -> cpu.user();
            case "system" -> cpu.system();
            case "idle" -> cpu.idle();
            case "iowait" -> cpu.iowait();
            case "softirq" -> cpu.softirq();
            case "steal" -> cpu.steal();
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static NodeStatus.NetworkCounters device(NodeStatus status, String device) {
        return status.network().stream().filter(n -> n.device().equals(device)).findFirst().orElseThrow();
    }

    private static void assertBetween(String what, double before, double after, Double theirs, double slack) {
        assertTrue(theirs != null, what + ": node_exporter did not report it");
        double low = Math.min(before, after) - slack;
        double high = Math.max(before, after) + slack;
        assertTrue(theirs >= low && theirs <= high,
                what + ": node_exporter says " + theirs + ", we read " + before + " then " + after);
    }

    private static double sumOf(Map<String, Double> scraped, String prefix, String label) {
        return scraped.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Sample name with its labels (as node_exporter orders them) to value. */
    private static Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }
}
