package dev.sliceplane.vmm.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackendFactory;

/** The backend contract, as far as a simulation keeps it. */
class LifecycleTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path state;

    private Sim sim;

    @BeforeEach
    void open() {
        sim = Sim.open(state, Sim.settings("seed", "1"));
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void theFactoryIsAlwaysUsableAndSaysItIsASimulation() {
        SimulatedBackendFactory factory = new SimulatedBackendFactory();
        assertEquals("simulated", factory.name());
        VmmBackendFactory.Availability availability = factory.probe();
        assertTrue(availability.usable());
        assertTrue(availability.reason().startsWith("SIMULATION"));
    }

    @Test
    void itIsLabelledASimulationWhereverItShows() {
        BackendInfo info = sim.backend.info();
        assertEquals("simulated", info.name());
        assertTrue(info.simulated());
        assertTrue(info.detail().startsWith("SIMULATION:"), info.detail());
        for (Limit limit : Limit.values()) {
            assertEquals(Enforcement.ENFORCED, info.enforcement(limit));
        }
        assertTrue(sim.status().simulated());
        assertEquals(8, sim.backend.capacity().cores());
        assertEquals(32 * GIB, sim.backend.capacity().memoryBytes());
        assertEquals(1024 * GIB, sim.backend.capacity().diskBytes());
        assertEquals(List.of("eth0"), sim.backend.capacity().networkInterfaces());
    }

    @Test
    void aSliversLifeFromCreationToDestruction() throws IOException {
        Limits limits = new Limits(0.5, 200, GIB, 100, 10 * GIB);
        SliverInfo created = sim.backend.create(new SliverSpec("princeton_codeen", limits));
        assertEquals(limits, created.limits());
        assertEquals(Sim.START, created.created());
        assertEquals(Map.of(Limit.CPU_QUOTA, Enforcement.ENFORCED, Limit.CPU_WEIGHT, Enforcement.ENFORCED,
                Limit.MEMORY, Enforcement.ENFORCED, Limit.PROCESSES, Enforcement.ENFORCED,
                Limit.DISK, Enforcement.ENFORCED), created.enforcement());
        assertEquals(state.resolve("slivers/princeton_codeen/home"), created.home());
        assertTrue(Files.isDirectory(created.home()));
        assertTrue(Files.isRegularFile(state.resolve("slivers/princeton_codeen/sliver.json")));
        assertTrue(Files.readString(state.resolve("slivers/princeton_codeen/sliver.json")).contains("SIMULATION"));
        assertEquals(List.of(VmmEvent.created("princeton_codeen", Sim.START)), sim.drain());

        sim.clock.advance(Duration.ofSeconds(5));
        ProgramInfo p1 = sim.backend.launch("princeton_codeen", ProgramSpec.of("/usr/bin/codeen", "--port", "80"));
        assertEquals("p1", p1.id());
        assertEquals(-1, p1.pid());
        assertTrue(p1.running());
        assertEquals(Sim.START.plusSeconds(5), p1.started());
        assertEquals(List.of("/usr/bin/codeen", "--port", "80"), p1.command());
        assertTrue(Files.readString(p1.stdout()).startsWith("SIMULATION:"));
        assertEquals("", Files.readString(p1.stderr()));
        assertTrue(sim.events.isEmpty(), "a launch is no event");

        sim.step(10);
        sim.backend.stop("princeton_codeen", Duration.ofSeconds(5));
        List<VmmEvent> stopped = sim.drain();
        assertEquals(List.of(VmmEvent.programExited("princeton_codeen", Sim.START.plusSeconds(15), "p1", 143)),
                stopped);
        assertEquals("143", Files.readString(p1.stdout().resolveSibling("exit")).trim());
        assertEquals(143, sim.backend.find("princeton_codeen").orElseThrow().programs().get(0).exitCode());
        sim.backend.stop("princeton_codeen", Duration.ZERO);
        assertTrue(sim.events.isEmpty(), "stopping an idle sliver reports nothing");

        sim.backend.launch("princeton_codeen", ProgramSpec.of("/usr/bin/codeen"));
        sim.backend.kill("princeton_codeen");
        assertEquals(137, sim.drain().get(0).exitCode());

        ProgramInfo p3 = sim.backend.launch("princeton_codeen", ProgramSpec.of("/usr/bin/codeen"));
        assertEquals("p3", p3.id());
        SliverInfo resized = sim.backend.resize("princeton_codeen", Limits.NONE.withCpuCores(1.0));
        assertEquals(Limits.NONE.withCpuCores(1.0), resized.limits());
        assertEquals(Map.of(Limit.CPU_QUOTA, Enforcement.ENFORCED), resized.enforcement());
        sim.step(10);
        sim.backend.destroy("princeton_codeen");
        List<VmmEvent> destroyed = sim.drain();
        assertEquals(2, destroyed.size());
        assertEquals(137, destroyed.get(0).exitCode());
        assertEquals("p3", destroyed.get(0).programId());
        assertEquals(VmmEvent.Kind.DESTROYED, destroyed.get(1).kind());
        assertFalse(Files.exists(state.resolve("slivers/princeton_codeen")));
        assertTrue(sim.backend.find("princeton_codeen").isEmpty());
        assertTrue(sim.backend.list().isEmpty());
        assertTrue(sim.backend.usage().isEmpty());
    }

    @Test
    void sliversAreListedByName() {
        for (String name : List.of("zeta", "alpha", "mu")) {
            sim.backend.create(new SliverSpec(name, Limits.NONE));
        }
        assertEquals(List.of("alpha", "mu", "zeta"), sim.backend.list().stream().map(SliverInfo::name).toList());
        assertEquals(List.of("alpha", "mu", "zeta"), sim.step(1).stream().map(u -> u.name()).toList());
    }

    @Test
    void badInputIsRefusedAndLeavesNothing() {
        assertReason(Reason.INVALID_NAME, () -> new SliverSpec("Princeton", Limits.NONE));
        assertReason(Reason.INVALID_NAME, () -> new SliverSpec("../etc", Limits.NONE));
        assertReason(Reason.INVALID_LIMIT, () -> new Limits(-1.0, null, null, null, null));
        assertReason(Reason.INVALID_LIMIT, () -> sim.backend.create(new SliverSpec("a", Limits.NONE.withCpuCores(9.0))));
        assertReason(Reason.INVALID_LIMIT,
                () -> sim.backend.create(new SliverSpec("a", Limits.NONE.withMemoryBytes(33 * GIB))));
        assertReason(Reason.INVALID_LIMIT,
                () -> sim.backend.create(new SliverSpec("a", Limits.NONE.withDiskBytes(1025 * GIB))));
        assertTrue(sim.backend.list().isEmpty());
        assertFalse(Files.exists(state.resolve("slivers/a")));
        assertTrue(sim.events.isEmpty());

        sim.backend.create(new SliverSpec("a", Limits.NONE));
        sim.drain();
        assertReason(Reason.ALREADY_EXISTS, () -> sim.backend.create(new SliverSpec("a", Limits.NONE)));
        assertReason(Reason.INVALID_LIMIT, () -> sim.backend.resize("a", Limits.NONE.withCpuCores(8.5)));
        assertEquals(Limits.NONE, sim.backend.find("a").orElseThrow().limits());
        assertReason(Reason.INVALID_PROGRAM, () -> ProgramSpec.of());
        assertReason(Reason.INVALID_PROGRAM, () -> new ProgramSpec(List.of("/bin/x"), Map.of(), "../up"));

        for (String bad : new String[] {"nobody", "No Body"}) {
            Reason expected = bad.equals("nobody") ? Reason.UNKNOWN_SLIVER : Reason.INVALID_NAME;
            assertReason(expected, () -> sim.backend.launch(bad, ProgramSpec.of("/bin/x")));
            assertReason(expected, () -> sim.backend.stop(bad, Duration.ZERO));
            assertReason(expected, () -> sim.backend.kill(bad));
            assertReason(expected, () -> sim.backend.resize(bad, Limits.NONE));
            assertReason(expected, () -> sim.backend.destroy(bad));
            assertTrue(sim.backend.find(bad).isEmpty());
        }
        assertTrue(sim.events.isEmpty());
    }

    @Test
    void aCommandThatDoesNotExistFailsToLaunchAndLeavesNoProgram() {
        sim.backend.create(new SliverSpec("a", Limits.NONE));
        for (String command : List.of("/nonexistent", "/nonexistent/bin/server")) {
            VmmException e = assertThrows(VmmException.class, () -> sim.backend.launch("a", ProgramSpec.of(command)));
            assertEquals(Reason.LAUNCH_FAILED, e.reason());
            assertTrue(e.getMessage().contains("simulated"));
        }
        assertTrue(sim.backend.find("a").orElseThrow().programs().isEmpty());
        assertFalse(Files.exists(state.resolve("slivers/a/programs/p1")));
        assertEquals("p1", sim.backend.launch("a", ProgramSpec.of("/nonexistent-but-fine")).id());
    }

    @Test
    void noFailingCommandsMeansEverythingLaunches() {
        try (Sim other = Sim.open(state.resolve("other"), Sim.settings("failingCommands", ""))) {
            other.backend.create(new SliverSpec("a", Limits.NONE));
            assertNull(other.backend.launch("a", ProgramSpec.of("/nonexistent")).exitCode());
        }
    }

    @Test
    void aFailedCreationLeavesNothing() throws IOException {
        // Make the slivers directory unusable: a file where it should be.
        Path slivers = state.resolve("slivers");
        Files.delete(slivers);
        Files.writeString(slivers, "in the way");
        VmmException e = assertThrows(VmmException.class,
                () -> sim.backend.create(new SliverSpec("doomed", Limits.NONE)));
        assertEquals(Reason.BACKEND_FAILURE, e.reason());
        assertTrue(sim.backend.list().isEmpty());
        assertTrue(sim.backend.find("doomed").isEmpty());
        assertTrue(sim.backend.usage().isEmpty());
        assertTrue(sim.events.isEmpty(), "no CREATED for a sliver that was not created");
        Files.delete(slivers);
        Files.createDirectory(slivers);
        sim.backend.create(new SliverSpec("doomed", Limits.NONE));
        assertEquals(1, sim.drain().size());
    }

    @Test
    void anOrphanedDirectoryIsNotTakenOver() throws IOException {
        Files.createDirectories(state.resolve("slivers/stray/home"));
        Files.writeString(state.resolve("slivers/stray/home/data"), "someone's");
        assertReason(Reason.ALREADY_EXISTS, () -> sim.backend.create(new SliverSpec("stray", Limits.NONE)));
        assertEquals("someone's", Files.readString(state.resolve("slivers/stray/home/data")));
        assertTrue(sim.backend.list().isEmpty());
    }

    @Test
    void notPersistingTouchesNoFile() {
        Path elsewhere = state.resolve("never");
        try (Sim other = Sim.open(elsewhere, Sim.settings("persist", "false"))) {
            other.backend.create(new SliverSpec("a", Limits.NONE));
            other.backend.launch("a", ProgramSpec.of("/bin/x"));
            other.step(10);
            other.backend.kill("a");
            assertTrue(other.backend.info().detail().contains("nothing persisted"));
        }
        assertFalse(Files.exists(elsewhere));
    }

    @Test
    void aClosedBackendRefusesWork() {
        sim.close();
        assertReason(Reason.BACKEND_FAILURE, () -> sim.backend.create(new SliverSpec("a", Limits.NONE)));
        assertReason(Reason.BACKEND_FAILURE, () -> sim.backend.usage());
        sim.close();
    }

    @Test
    void settingsThatAreNotValidFailTheOpening() {
        VmmException e = assertThrows(VmmException.class, () -> new SimulatedBackendFactory().open(
                new BackendContext(state, Map.of("cores", "many"), x -> { }, sim.clock)));
        assertEquals(Reason.BACKEND_FAILURE, e.reason());
        assertTrue(e.getMessage().contains("cores"), e.getMessage());
    }

    @Test
    void aFailingEventSinkDoesNotBreakTheBackend() {
        try (SimulatedBackend b = new SimulatedBackendFactory().open(new BackendContext(state.resolve("x"),
                Map.of("persist", "false"), e -> {
                    throw new IllegalStateException("sink down");
                }, sim.clock))) {
            b.create(new SliverSpec("a", Limits.NONE));
            assertEquals(1, b.list().size());
        }
    }

    private static void assertReason(Reason reason, Executable call) {
        assertEquals(reason, assertThrows(VmmException.class, call).reason());
    }
}
