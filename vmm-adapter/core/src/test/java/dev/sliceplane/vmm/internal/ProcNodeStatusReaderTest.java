package dev.sliceplane.vmm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.NodeStatus;

class ProcNodeStatusReaderTest {

    @TempDir
    Path root;

    @Test
    void readsFiguresWithNodeExporterUnits() throws IOException {
        Path proc = root.resolve("proc");
        Path sys = root.resolve("sys");
        write(proc.resolve("loadavg"), "0.50 1.25 2.00 3/120 4242\n");
        write(proc.resolve("stat"), """
                cpu  1000 10 300 5000 200 0 40 50 0 0
                cpu0 500 5 150 2500 100 0 20 25 0 0
                intr 12345
                btime 1700000000
                """);
        write(proc.resolve("meminfo"), """
                MemTotal:        2048000 kB
                MemFree:          100000 kB
                MemAvailable:    1024000 kB
                SwapTotal:        512000 kB
                SwapFree:         256000 kB
                HugePages_Total:       0
                """);
        write(proc.resolve("uptime"), "12345.67 20000.00\n");
        write(proc.resolve("net/dev"), """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0
                  eth0: 309037206 9939 0 0 0 0 0 0 1436861 8681 0 0 0 0 0 0
                """);
        write(sys.resolve("devices/system/cpu/online"), "0-3,8\n");
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);
        ProcNodeStatusReader reader = new ProcNodeStatusReader(proc, sys, root.resolve("data"), clock);

        NodeStatus status = reader.read();

        assertEquals(5, status.cores());
        assertEquals(0.5, status.load1());
        assertEquals(2.0, status.load15());
        assertEquals(10.0, status.cpu().user(), "ticks are 1/100 s");
        assertEquals(50.0, status.cpu().idle());
        assertEquals(0.5, status.cpu().steal());
        assertNull(status.cpuBusy(), "no busy fraction before a second reading");
        assertEquals(2048000L * 1024, status.memTotalBytes());
        assertEquals(1024000L * 1024, status.memAvailableBytes());
        assertEquals(256000L * 1024, status.swapFreeBytes());
        assertEquals(1700000000.0, status.bootTimeSeconds());
        assertEquals(12345.67, status.uptimeSeconds());
        assertEquals(2, status.network().size());
        assertEquals(new NodeStatus.NetworkCounters("eth0", 309037206, 1436861), status.network().get(1));
        assertEquals(clock.instant(), status.at());

        write(proc.resolve("stat"), """
                cpu  1030 10 310 5050 210 0 40 50 0 0
                btime 1700000000
                """);
        NodeStatus next = reader.read();
        // busy grew by 40 ticks, total by 100 ticks.
        assertEquals(0.4, next.cpuBusy(), 1e-9);
    }

    @Test
    void countsKernelCpuLists() {
        assertEquals(1, ProcNodeStatusReader.countCpus("0"));
        assertEquals(4, ProcNodeStatusReader.countCpus("0-3"));
        assertEquals(7, ProcNodeStatusReader.countCpus("0-3,8,10-11"));
    }

    @Test
    void readsThisMachine() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/stat")),
                "needs Linux /proc to read this machine's status");
        ProcNodeStatusReader reader = ProcNodeStatusReader.forThisMachine(root);
        reader.read();
        NodeStatus status = reader.read();
        assertEquals(Runtime.getRuntime().availableProcessors(), status.cores());
        assertTrue(status.memTotalBytes() > status.memAvailableBytes() && status.memAvailableBytes() > 0);
        assertTrue(status.disk().sizeBytes() >= status.disk().availBytes() && status.disk().availBytes() > 0);
        assertNotNull(status.cpuBusy());
        assertTrue(status.uptimeSeconds() > 0);
        assertTrue(status.network().stream().anyMatch(n -> n.device().equals("lo")));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
