package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * A real process backend on a temporary state directory, with every event it sends kept in
 * order (across reopenings), and a reader of /proc of its own so tests do not check the
 * backend with the backend's own parser.
 */
final class Harness implements AutoCloseable {

    final Path state;
    final Map<String, String> settings = new HashMap<>();
    final List<VmmEvent> events = new CopyOnWriteArrayList<>();
    VmmBackend backend;

    Harness(Path state) {
        this.state = state;
    }

    Harness open() {
        backend = new ProcessBackendFactory().open(new BackendContext(state, settings, events::add, Clock.systemUTC()));
        return this;
    }

    /** Closes the backend and opens a new one on the same state directory, as a restart would. */
    Harness reopen() {
        backend.close();
        return open();
    }

    /**
     * Destroys what is left, through a fresh backend so it works whatever state the test left
     * its own in (no process may outlive a test), and closes.
     */
    @Override
    public void close() {
        if (backend == null) {
            return;
        }
        backend.close();
        VmmBackend cleaner = new ProcessBackendFactory().open(
                new BackendContext(state, Map.of(), e -> { }, Clock.systemUTC()));
        try {
            for (SliverInfo s : cleaner.list()) {
                cleaner.destroy(s.name());
            }
        } finally {
            cleaner.close();
        }
    }

    List<VmmEvent> events(VmmEvent.Kind kind, String sliver) {
        return events.stream().filter(e -> e.kind() == kind && e.sliver().equals(sliver)).toList();
    }

    SliverUsage usage(String sliver) {
        return backend.usage().stream().filter(u -> u.name().equals(sliver)).findFirst()
                .orElseThrow(() -> new AssertionError("no usage for " + sliver));
    }

    ProgramInfo program(String sliver, String id) {
        return backend.find(sliver).orElseThrow().programs().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no program " + id + " in " + sliver));
    }

    /** Samples until the program's exit is known, as the core's sampler would. */
    ProgramInfo awaitExit(String sliver, String id, Duration timeout) {
        await("exit of " + sliver + "/" + id, timeout, () -> {
            backend.usage();
            return program(sliver, id).exitCode() != null;
        });
        return program(sliver, id);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            sleep(10);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One process as this test's own /proc reader sees it. */
    record Proc(long pid, long ppid, long session, char state, long cpuTicks, int nice) {

        boolean alive() {
            return state != 'Z' && state != 'X';
        }
    }

    /** Every process now, read straight from /proc. */
    static List<Proc> processes() {
        List<Proc> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                proc(dir).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    static Optional<Proc> proc(long pid) {
        return proc(Path.of("/proc", Long.toString(pid)));
    }

    private static Optional<Proc> proc(Path dir) {
        try {
            String line = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return Optional.of(new Proc(Long.parseLong(dir.getFileName().toString()), Long.parseLong(f[1]),
                    Long.parseLong(f[3]), f[0].charAt(0), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Integer.parseInt(f[16])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Live processes in these sessions. */
    static List<Proc> alive(List<Long> sessions) {
        return processes().stream().filter(p -> p.alive() && sessions.contains(p.session())).toList();
    }

    /** The session ids of a sliver's programs: their supervisors' pids, as recorded. */
    List<Long> sessions(String sliver) {
        List<Long> sessions = new ArrayList<>();
        for (Path record : programRecords(sliver)) {
            try {
                sessions.add(new ObjectMapper().readTree(record.toFile()).path("session").path("sid").asLong());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return sessions;
    }

    private List<Path> programRecords(String sliver) {
        List<Path> records = new ArrayList<>();
        Path programs = state.resolve("slivers").resolve(sliver).resolve("programs");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(programs)) {
            for (Path d : dirs) {
                if (Files.exists(d.resolve("program.json"))) {
                    records.add(d.resolve("program.json"));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        records.sort((a, b) -> Integer.compare(Sliver.number(a.getParent().getFileName().toString()),
                Sliver.number(b.getParent().getFileName().toString())));
        return records;
    }
}
