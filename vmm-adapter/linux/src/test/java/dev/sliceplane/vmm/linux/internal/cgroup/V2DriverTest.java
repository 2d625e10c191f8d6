package dev.sliceplane.vmm.linux.internal.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.VmmException;

/**
 * The v2 driver against a fake cgroup2 tree in a temporary directory: files with the content a
 * kernel shows. It checks what the driver writes and how it parses; it cannot show that a kernel
 * accepts the writes (the CI machines have no cgroup v2 with controllers).
 */
class V2DriverTest {

    @TempDir
    Path mount;
    private Path root;
    private V2Driver driver;

    @BeforeEach
    void fakeTree() throws IOException {
        write(mount.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        write(mount.resolve("cgroup.subtree_control"), "");
        root = mount.resolve("system.slice/sliceplane");
        Files.createDirectories(root);
        write(mount.resolve("system.slice/cgroup.subtree_control"), "cpu memory pids\n");
        write(root.resolve("cgroup.subtree_control"), "");
        write(root.resolve("memory.peak"), "0\n");
        write(root.resolve("cgroup.kill"), "");
        driver = new V2Driver(mount, "system.slice/sliceplane");
    }

    @Test
    void prepareRootEnablesTheControllersWhereTheyAreMissing() throws IOException {
        driver.prepareRoot();
        assertEquals("+cpu +memory +pids", read(mount.resolve("cgroup.subtree_control")));
        assertEquals("cpu memory pids", read(mount.resolve("system.slice/cgroup.subtree_control")), "already enabled: untouched");
        assertEquals("+cpu +memory +pids", read(root.resolve("cgroup.subtree_control")));
        assertTrue(driver.description().contains("cgroup.kill"), driver.description());
    }

    @Test
    void limitsAreWrittenInV2Syntax() throws IOException {
        driver.prepareRoot();
        driver.create("s1");
        Limits held = driver.apply("s1", new Limits(0.2, 50, 32L << 20, 20, 1000L), true);
        Path s1 = root.resolve("s1");
        assertEquals("20000 100000", read(s1.resolve("cpu.max")));
        assertEquals("50", read(s1.resolve("cpu.weight")));
        assertEquals(Long.toString(32L << 20), read(s1.resolve("memory.max")));
        assertEquals("20", read(s1.resolve("pids.max")));
        assertEquals(new Limits(0.2, 50, 32L << 20, 20, null), driver.read("s1"));
        assertEquals(driver.read("s1"), held);

        driver.apply("s1", Limits.NONE.withCpuCores(0.005), false);
        assertEquals("5000 1000000", read(s1.resolve("cpu.max")), "below 1 ms per 100 ms: a longer period");
        assertEquals("100", read(s1.resolve("cpu.weight")));
        assertEquals("max", read(s1.resolve("memory.max")));
        assertEquals("max", read(s1.resolve("pids.max")));
        assertEquals(Limits.NONE.withCpuCores(0.005), driver.read("s1"));

        driver.apply("s1", Limits.NONE, false);
        assertEquals("max 100000", read(s1.resolve("cpu.max")));
        assertEquals(Limits.NONE, driver.read("s1"));
    }

    @Test
    void aFreshCgroupGetsOnlyTheLimitsThatAreSet() throws IOException {
        driver.prepareRoot();
        driver.create("s2");
        Path s2 = root.resolve("s2");
        driver.apply("s2", Limits.NONE.withMaxProcesses(7), true);
        assertEquals("7", read(s2.resolve("pids.max")));
        for (String untouched : new String[] {"cpu.max", "cpu.weight", "memory.max"}) {
            assertFalse(Files.exists(s2.resolve(untouched)), untouched + " keeps the kernel's default");
        }
    }

    @Test
    void aSampleParsesTheKernelsCounters() throws IOException {
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        write(s1.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n"
                + "nr_periods 10\nnr_throttled 2\nthrottled_usec 3000\n");
        write(s1.resolve("memory.current"), "1048576\n");
        write(s1.resolve("memory.peak"), "2097152\n");
        write(s1.resolve("memory.events"), "low 0\nhigh 0\nmax 5\noom 2\noom_kill 1\noom_group_kill 0\n");
        write(s1.resolve("pids.current"), "3\n");
        write(s1.resolve("pids.events"), "max 4\n");

        try (SliverCounters counters = driver.counters("s1")) {
            counters.readCpuAndTasks();
            assertEquals(1_500_000_000L, counters.cpuNanos());
            assertEquals(3, counters.tasks());
            assertEquals(0, counters.memoryBytes(), "memory and the event counters are read on their own");
            assertEquals(0, counters.memoryPeakBytes());
            assertEquals(0, counters.oomKills());
            counters.readMemory();
            assertEquals(1_048_576L, counters.memoryBytes());
            assertEquals(2_097_152L, counters.memoryPeakBytes());
            assertEquals(1, counters.readOomKills(), "oom_kill, not oom or max");
            assertEquals(4, counters.readForkRefusals());
            assertEquals(1, counters.oomKills());
            assertEquals(4, counters.forkRefusals());
        }
    }

    @Test
    void aCounterFileWithSomethingElseInItFailsNamingTheFile() throws IOException {
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        write(s1.resolve("cpu.stat"), "usage_usec 7\n");
        write(s1.resolve("memory.current"), "max\n");

        try (SliverCounters counters = driver.counters("s1")) {
            VmmException e = assertThrows(VmmException.class, counters::readMemory);
            assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("memory.current"), e.getMessage());
        }
    }

    @Test
    void countersAreReadAfreshFromTheFilesKeptOpen() throws IOException {
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        write(s1.resolve("cpu.stat"), "user_usec 1\nusage_usec 2\n");
        write(s1.resolve("memory.current"), "4096\n");
        write(s1.resolve("memory.events"), "oom 1\n");
        write(s1.resolve("pids.current"), "1\n");
        write(s1.resolve("memory.peak"), "8192\n");
        write(s1.resolve("pids.events"), "max 0\n");

        try (SliverCounters counters = driver.counters("s1")) {
            counters.readCpuAndTasks();
            counters.readMemory();
            assertEquals(2000, counters.cpuNanos());
            assertEquals(0, counters.readOomKills(), "oom_kill absent");
            assertEquals(1, counters.tasks());
            // In place, as the kernel changes a control file (a rename would leave the open file behind).
            write(s1.resolve("cpu.stat"), "user_usec 1\nusage_usec 2000\n");
            write(s1.resolve("memory.current"), "8192\n");
            write(s1.resolve("memory.events"), "oom 1\noom_kill 3\n");
            write(s1.resolve("pids.current"), "0\n");
            counters.readCpuAndTasks();
            counters.readMemory();

            assertEquals(2_000_000, counters.cpuNanos());
            assertEquals(8192, counters.memoryBytes());
            assertEquals(0, counters.tasks());
            assertEquals(0, counters.oomKills(), "not read again yet");
            assertEquals(3, counters.readOomKills());
        }
    }

    @Test
    void withoutMemoryPeakTheDriverSaysItHasNone() throws IOException {
        Files.delete(root.resolve("memory.peak"));
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        for (String file : new String[] {"cgroup.procs", "memory.events", "pids.events"}) {
            write(s1.resolve(file), "");
        }
        write(s1.resolve("cpu.stat"), "usage_usec 7\n");
        write(s1.resolve("memory.current"), "4096\n");
        write(s1.resolve("pids.current"), "0\n");

        try (SliverCounters counters = driver.counters("s1")) {
            counters.readCpuAndTasks();
            counters.readMemory();
            assertFalse(counters.hasMemoryPeak());
            assertEquals(0, counters.tasks());
            assertEquals(7000, counters.cpuNanos());
        }
        assertTrue(driver.description().contains("no memory.peak"), driver.description());
    }

    @Test
    void killUsesCgroupKillOnlyWhenThereIsSomethingToKill() throws IOException {
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        write(s1.resolve("cgroup.procs"), "");
        driver.killAll("s1");
        assertFalse(Files.exists(s1.resolve("cgroup.kill")), "an empty cgroup: nothing written");

        write(s1.resolve("cgroup.procs"), "4242\n");
        driver.killAll("s1");
        assertEquals("1", read(s1.resolve("cgroup.kill")));
    }

    @Test
    void withoutCgroupKillTheDriverFreezesKillsEachProcessAndThaws() throws Exception {
        Files.delete(root.resolve("cgroup.kill"));
        driver.prepareRoot();
        driver.create("s1");
        Path s1 = root.resolve("s1");
        Process victim = new ProcessBuilder("sleep", "60").start();
        try {
            write(s1.resolve("cgroup.procs"), victim.pid() + "\n");
            write(s1.resolve("cgroup.events"), "populated 1\nfrozen 1\n");

            driver.killAll("s1");

            assertTrue(victim.waitFor(5, TimeUnit.SECONDS), "the process in cgroup.procs was killed");
            assertEquals(137, victim.exitValue());
            assertEquals("0", read(s1.resolve("cgroup.freeze")), "thawed afterwards");
        } finally {
            victim.destroyForcibly();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
