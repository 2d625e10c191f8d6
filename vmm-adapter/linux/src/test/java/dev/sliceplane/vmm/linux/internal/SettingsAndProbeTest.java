package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupLayout;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackendFactory.Availability;

/** The probe's refusals, the settings, and the small parsers; none of this needs root. */
class SettingsAndProbeTest {

    @TempDir
    Path dir;

    @Test
    void theProbeRefusesANonRootUserAndSaysSo() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n");
        Availability availability = LinuxBackendFactory.probe(status, new CgroupLayout.V2(dir));
        assertFalse(availability.usable());
        assertTrue(availability.reason().contains("needs root") && availability.reason().contains("uid 1000"),
                availability.reason());
    }

    @Test
    void theProbePassesOnWhyNoLayoutFits() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Uid:\t0\t0\t0\t0\n");
        Availability availability = LinuxBackendFactory.probe(status, new CgroupLayout.Unsupported("no pids hierarchy"));
        assertEquals(new Availability(false, "no pids hierarchy"), availability);
    }

    @Test
    void settingsHaveDefaultsAndRefuseNonsense() {
        assertEquals(new LinuxSettings("sliceplane", 30, 10), LinuxSettings.of(context(Map.of())));
        assertEquals(new LinuxSettings("system.slice/sliceplane", 0, 1), LinuxSettings.of(context(Map.of(
                "cgroupRoot", "system.slice/sliceplane", "diskScanSeconds", "0", "eventReadPasses", "1"))));
        for (String root : new String[] {"../etc", "/abs", "a//b", "a/../b", "", "a b"}) {
            LinuxBackendTest.assertReason(Reason.BACKEND_FAILURE, () -> LinuxSettings.of(context(Map.of("cgroupRoot", root))));
        }
        LinuxBackendTest.assertReason(Reason.BACKEND_FAILURE, () -> LinuxSettings.of(context(Map.of("diskScanSeconds", "-3"))));
        LinuxBackendTest.assertReason(Reason.BACKEND_FAILURE, () -> LinuxSettings.of(context(Map.of("diskScanSeconds", "soon"))));
        LinuxBackendTest.assertReason(Reason.BACKEND_FAILURE, () -> LinuxSettings.of(context(Map.of("eventReadPasses", "0"))));
    }

    @Test
    void commandsAreLookedUpLikeTheShellDoes() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.writeString(bin.resolve("plain"), "data");
        tool.toFile().setExecutable(true);
        String path = "/nowhere:" + bin;
        assertTrue(CommandCheck.problem("tool", dir, path).isEmpty());
        assertTrue(CommandCheck.problem("./bin/tool", dir, "").isEmpty());
        assertTrue(CommandCheck.problem(tool.toString(), Path.of("/"), "").isEmpty());
        assertTrue(CommandCheck.problem("plain", dir, path).orElseThrow().contains("not executable"));
        assertTrue(CommandCheck.problem("missing", dir, path).orElseThrow().contains("not found on PATH"));
        assertTrue(CommandCheck.problem("bin", dir, dir.toString()).orElseThrow().contains("not found"), "a directory is no command");
    }

    @Test
    void onlineCpuListsAreCounted() {
        assertEquals(2, NodeFacts.countCpuList("0-1\n"));
        assertEquals(1, NodeFacts.countCpuList("0"));
        assertEquals(5, NodeFacts.countCpuList("0-3,6"));
    }

    @Test
    void diskCapacityIsKnownBeforeTheStateDirectoryExists() throws Exception {
        long total = Files.getFileStore(dir).getTotalSpace();
        assertTrue(total > 0);
        assertEquals(total, NodeFacts.capacity(dir.resolve("not/made/yet")).diskBytes());
    }

    private BackendContext context(Map<String, String> settings) {
        return new BackendContext(dir, settings, event -> { }, Clock.systemUTC());
    }
}
