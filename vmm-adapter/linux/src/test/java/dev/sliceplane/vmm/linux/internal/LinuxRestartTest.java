package dev.sliceplane.vmm.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmEvent.Kind;
import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.Signals;
import dev.sliceplane.vmm.linux.internal.cgroup.SliverCounters;

/**
 * A restart is a new backend on the same state directory and cgroup root: it re-attaches
 * without killing anything, reports what happened while it was away once, and reports orphans once.
 */
class LinuxRestartTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path state;
    private TestCgroups cgroups;

    @BeforeEach
    void setUp() {
        cgroups = TestCgroups.require();
    }

    @AfterEach
    void cleanUp() {
        if (cgroups != null) {
            cgroups.close();
        }
    }

    @Test
    void aRestartReattachesAndReportsWhatEndedMeanwhileOnce() {
        EventLog first = new EventLog();
        Limits limits = new Limits(0.5, 200, 128 * MIB, 30, 10 * MIB);
        ProgramInfo sleeper;
        try (LinuxBackend backend = cgroups.open(state, first)) {
            backend.create(new SliverSpec("keep", limits));
            sleeper = backend.launch("keep", ProgramSpec.of("sleep", "60"));
            backend.launch("keep", ProgramSpec.of("sh", "-c", "sleep 0.3; exit 3"));
            backend.launch("keep", ProgramSpec.of("sh", "-c", "exit 4"));
            TestCgroups.await(Duration.ofSeconds(5), () -> {
                backend.usage();
                return !first.exits("keep", "p3").isEmpty();
            }, "p3 to exit");
        }
        Path p2Exit = state.resolve("slivers/keep/programs/p2/exit");
        TestCgroups.await(Duration.ofSeconds(5), () -> Files.exists(p2Exit), "p2 to exit while no backend is open");

        EventLog second = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, second)) {
            assertEquals(List.of(), second.all(), "nothing reported on open");
            SliverInfo info = backend.find("keep").orElseThrow();
            assertEquals(limits, info.limits());
            assertEquals(List.of("p1", "p2", "p3"), info.programs().stream().map(ProgramInfo::id).toList());
            assertNull(info.programs().get(0).exitCode(), "p1 still runs");
            assertTrue(TestCgroups.alive(sleeper.pid()), "nothing was killed");

            // p2's supervisor writes the exit file just before it exits: the pass that sees it gone reports it.
            TestCgroups.await(Duration.ofSeconds(5), () -> {
                backend.usage();
                return !second.all().isEmpty();
            }, "p2's exit to be reported");
            assertEquals(1, second.all().size(), second.toString());
            assertEquals(3, second.exits("keep", "p2").get(0).exitCode());
            backend.usage();
            assertEquals(1, second.all().size(), "no event twice: " + second);
            assertEquals(SliverState.RUNNING, backend.usage().get(0).state());
        }

        EventLog adopted = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, adopted)) {
            backend.launch("keep", ProgramSpec.of("sleep", "60")); // p4, this backend's child beside the adopted p1
            assertEquals(SliverState.RUNNING, backend.usage().get(0).state());
            // p1's supervisor is not this backend's child: its end is seen through the probe opened by the pass above.
            Signals.terminate(sleeper.pid());
            TestCgroups.await(Duration.ofSeconds(5), () -> {
                backend.usage();
                return !adopted.exits("keep", "p1").isEmpty();
            }, "p1 to be reported ended");
            assertEquals(143, adopted.exits("keep", "p1").get(0).exitCode(), "sleep ended by SIGTERM, its own code");
            assertEquals(List.of(), adopted.exits("keep", "p4"), "p4 still runs");
            assertEquals(SliverState.RUNNING, backend.usage().get(0).state());
        }

        EventLog third = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, third)) {
            backend.usage();
            assertEquals(List.of(), third.all(), "a second restart reports nothing again");
            backend.stop("keep", Duration.ofSeconds(2));
            backend.usage();
            assertEquals(143, third.exits("keep", "p4").get(0).exitCode(), "sleep ended by SIGTERM");
        }
    }

    @Test
    void anOomKillWhileNoBackendWasOpenIsReportedOnceAfterTheRestart() {
        try (LinuxBackend backend = cgroups.open(state, new EventLog())) {
            backend.create(new SliverSpec("hog", Limits.NONE.withMemoryBytes(32 * MIB)));
            // The OOM killer takes dd, the largest; the shell lives on, so no exit is reported with it.
            backend.launch("hog", ProgramSpec.of("sh", "-c", "dd if=/dev/zero of=/dev/null bs=128M count=1; sleep 60"));
        }
        TestCgroups.await(Duration.ofSeconds(10), () -> oomKills(cgroups.driver, "hog") == 1, "dd to be killed");

        EventLog second = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, second)) {
            backend.usage();
            backend.usage();
        }
        assertEquals(1, second.of(Kind.LIMIT_EXCEEDED, "hog").size(), second.toString());
        assertEquals(Limit.MEMORY, second.of(Kind.LIMIT_EXCEEDED, "hog").get(0).limit());
        assertEquals(1, second.all().size(), "the shell still runs: " + second);

        EventLog third = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, third)) {
            backend.usage();
            assertEquals(1, backend.usage().get(0).oomKills());
        }
        assertEquals(List.of(), third.all(), "not reported again");
    }

    @Test
    void anAdoptedProgramThatEndsLaterIsReportedWithoutWaitingForThePeriodicLook() {
        try (LinuxBackend backend = cgroups.open(state, new EventLog())) {
            backend.create(new SliverSpec("s", Limits.NONE));
            backend.launch("s", ProgramSpec.of("sh", "-c", "sleep 3; exit 5"));
        }
        EventLog second = new EventLog();
        try (LinuxBackend backend = (LinuxBackend) new LinuxBackendFactory().open(
                cgroups.context(state, second, Map.of(LinuxSettings.EVENT_READ_PASSES, "1000")))) {
            backend.usage(); // the first pass looks at the adopted supervisor,
            backend.usage(); // and the second (the first sliver's stagger); then only when the sliver runs
            assertEquals(List.of(), second.exits("s", "p1"), "still sleeping");

            TestCgroups.await(Duration.ofSeconds(10), () -> {
                backend.usage();
                return !second.exits("s", "p1").isEmpty();
            }, "the adopted program's end, seen because ending took CPU time");

            assertEquals(5, second.exits("s", "p1").get(0).exitCode());
        }
    }

    private static long oomKills(CgroupDriver driver, String sliver) {
        try (SliverCounters counters = driver.counters(sliver)) {
            return counters.readOomKills();
        }
    }

    @Test
    void orphansAreReportedOnceAndLeftAloneUntilDestroyed() throws Exception {
        try (LinuxBackend backend = cgroups.open(state, new EventLog())) {
            backend.create(new SliverSpec("kept", Limits.NONE));
            backend.create(new SliverSpec("gone", Limits.NONE));
        }
        for (Path dir : cgroups.dirs("gone")) {
            Files.delete(dir); // as after a reboot: the record stays, the cgroup does not
        }
        for (Path dir : cgroups.dirs("stray")) {
            Files.createDirectory(dir); // a cgroup nobody recorded
        }

        EventLog second = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, second)) {
            Set<String> orphans = second.all().stream().filter(e -> e.kind() == Kind.ORPHAN_FOUND)
                    .map(VmmEvent::sliver).collect(Collectors.toSet());
            assertEquals(Set.of("gone", "stray"), orphans, second.toString());
            assertEquals(2, second.all().size(), second.toString());
            assertEquals(List.of("kept"), backend.list().stream().map(SliverInfo::name).toList());
            assertTrue(Files.isDirectory(cgroups.dirs("stray").get(0)), "left alone");
            assertTrue(Files.exists(state.resolve("slivers/gone/sliver.json")), "left alone");
            LinuxBackendTest.assertReason(Reason.ALREADY_EXISTS, () -> backend.create(new SliverSpec("stray", Limits.NONE)));
            LinuxBackendTest.assertReason(Reason.ALREADY_EXISTS, () -> backend.create(new SliverSpec("gone", Limits.NONE)));
        }

        EventLog third = new EventLog();
        try (LinuxBackend backend = cgroups.open(state, third)) {
            assertEquals(List.of(), third.all(), "orphans are reported once");
            backend.destroy("gone");
            backend.destroy("stray");
            assertFalse(Files.exists(state.resolve("slivers/gone")));
            for (Path dir : cgroups.dirs("stray")) {
                assertFalse(Files.exists(dir));
            }
            assertEquals(2, third.all().stream().filter(e -> e.kind() == Kind.DESTROYED).count());
            backend.create(new SliverSpec("gone", Limits.NONE));
        }
    }
}
