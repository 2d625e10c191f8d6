package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The probe on an adopted supervisor: a zombie that nobody reaps is not running. */
class LivenessProbeTest {

    @Test
    void aProcessThatExitedIsNotAliveEvenWhileNobodyReapsIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        // The background sleep's parent execs another sleep, which never waits: the first stays a zombie.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.3 & echo $!; exec sleep 30").start();
        try {
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().trim());
            try (LivenessProbe probe = LivenessProbe.open(pid)) {
                assertNotNull(probe);
                assertTrue(probe.alive(), "sleep 0.3 runs");
                TestCgroups.await(Duration.ofSeconds(5), () -> !probe.alive(), "sleep 0.3 to exit");
                assertTrue(Files.exists(Path.of("/proc/" + pid)), "still a zombie, not reaped");
                assertNull(LivenessProbe.open(Long.MAX_VALUE), "no such process");
            }
        } finally {
            parent.destroyForcibly();
            parent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReapedProcessIsNotAlive() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try (LivenessProbe probe = LivenessProbe.open(child.pid())) {
            assertNotNull(probe);
            assertTrue(probe.alive());
            child.destroyForcibly();
            assertTrue(child.waitFor(5, TimeUnit.SECONDS));
            assertFalse(probe.alive(), "reaped: the open file answers ESRCH, never another process's figures");
        }
    }
}
