package dev.sliceplane.vmm.simulated.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.VmmException;

/**
 * The simulation's files under the state directory, laid out as the backend contract says:
 * {@code simulation.json} (the node's model state), and per sliver {@code slivers/<name>/}
 * with {@code sliver.json}, {@code home/} and {@code programs/<id>/{stdout,stderr,exit}}.
 * Written only when a sliver changes and when the backend closes, never per sample; every file
 * atomically (temporary file, then rename). Doubles round-trip exactly through JSON, so a
 * backend closed and re-opened continues exactly as one that stayed open.
 */
final class Records {

    static final String LABEL = "SIMULATION: this file belongs to the simulated VMM backend; nothing here is real";
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path root;
    private final Path slivers;

    Records(Path root) {
        this.root = root;
        this.slivers = root.resolve("slivers");
        try {
            Files.createDirectories(slivers);
        } catch (IOException e) {
            throw failure("cannot create the state directory " + slivers, e);
        }
    }

    // ---- the node

    record NodeRecord(String note, int format, long seed, long bootMillis, long nowMillis, long passMillis,
                      double[] cpu, double[] load, List<InterfaceRecord> network,
                      double[] pending, Double cpuBusy) {
    }

    record InterfaceRecord(String device, long receiveBytes, long transmitBytes) {
    }

    Optional<NodeRecord> readNode() {
        Path file = root.resolve("simulation.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), NodeRecord.class));
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    void writeNode(NodeRecord node) throws IOException {
        writeAtomically(root.resolve("simulation.json"), JSON.writeValueAsBytes(node));
    }

    // ---- slivers

    record SliverRecord(String note, int format, String name, long curveSeed, String created, LimitsRecord limits,
                        StateRecord state, int nextProgram, List<ProgramRecord> programs) {
    }

    record LimitsRecord(Double cpuCores, Integer cpuWeight, Long memoryBytes, Integer maxProcesses, Long diskBytes) {
    }

    record StateRecord(long rng, long accruedMillis, long evolvedMillis, double cpuSeconds, long memoryBytes,
                       long memoryPeakBytes, long diskBytes, long rxBytes, long txBytes, long oomKills, int processes,
                       boolean inBurst, boolean overProcessLimit, double demandCores, double allocCores) {
    }

    record ProgramRecord(int id, List<String> command, String started, int processes, Integer exitCode, String ended,
                         boolean exitReported) {
    }

    Path sliverDirectory(String name) {
        return slivers.resolve(name);
    }

    static Path home(Path stateDirectory, String sliver) {
        return stateDirectory.resolve("slivers").resolve(sliver).resolve("home");
    }

    static Path programDirectory(Path stateDirectory, String sliver, String program) {
        return stateDirectory.resolve("slivers").resolve(sliver).resolve("programs").resolve(program);
    }

    /** The directories under {@code slivers/}, by name. */
    List<Path> sliverDirectories() {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(slivers, Files::isDirectory)) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            throw failure("cannot list " + slivers, e);
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return dirs;
    }

    /** The record in a sliver's directory; empty when there is none. */
    Optional<SliverRecord> readSliver(Path directory) throws IOException {
        Path file = directory.resolve("sliver.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), SliverRecord.class));
    }

    /**
     * Makes a new sliver's directory, home and record. On failure removes what it made and
     * throws: {@code ALREADY_EXISTS} when the directory is there already (an orphan), else
     * {@code BACKEND_FAILURE}.
     */
    void createSliver(SliverModel sliver) {
        Path dir = sliverDirectory(sliver.name);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new VmmException(VmmException.Reason.ALREADY_EXISTS, "a directory for sliver '" + sliver.name
                    + "' exists without a record of it (an orphan, left alone): " + dir);
        } catch (IOException e) {
            throw failure("cannot create " + dir, e);
        }
        try {
            Files.createDirectory(dir.resolve("home"));
            Files.createDirectory(dir.resolve("programs"));
            writeSliver(sliver);
        } catch (IOException e) {
            try {
                deleteTree(dir);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw failure("cannot create sliver '" + sliver.name + "' under " + dir, e);
        }
    }

    /** Writes the record, and the {@code exit} files of programs that ended since the last write. */
    void writeSliver(SliverModel sliver) throws IOException {
        Path dir = sliverDirectory(sliver.name);
        for (ProgramModel p : sliver.programs()) {
            if (!p.running() && !p.exitWritten) {
                writeAtomically(dir.resolve("programs").resolve(p.name()).resolve("exit"),
                        (p.exitCode + "\n").getBytes(StandardCharsets.US_ASCII));
                p.exitWritten = true;
            }
        }
        writeAtomically(dir.resolve("sliver.json"), JSON.writeValueAsBytes(toRecord(sliver)));
    }

    /** A launched program's directory with its output files, which say that it is simulated. */
    void createProgram(SliverModel sliver, ProgramModel program) throws IOException {
        Path dir = sliverDirectory(sliver.name).resolve("programs").resolve(program.name());
        Files.createDirectories(dir);
        String line = "SIMULATION: program " + program.name() + " of sliver " + sliver.name
                + " is simulated; no process ran. Command: " + program.command + "\n";
        writeAtomically(dir.resolve("stdout"), line.getBytes(StandardCharsets.UTF_8));
        writeAtomically(dir.resolve("stderr"), new byte[0]);
    }

    void deleteProgram(SliverModel sliver, ProgramModel program) throws IOException {
        deleteTree(sliverDirectory(sliver.name).resolve("programs").resolve(program.name()));
    }

    void deleteSliver(String name) throws IOException {
        deleteTree(sliverDirectory(name));
    }

    // ---- conversion

    static SliverRecord toRecord(SliverModel s) {
        Limits l = s.limits;
        List<ProgramRecord> programs = new ArrayList<>(s.programs().size());
        for (ProgramModel p : s.programs()) {
            programs.add(new ProgramRecord(p.id, p.command, Instant.ofEpochMilli(p.startedMillis).toString(),
                    p.processes, p.running() ? null : p.exitCode,
                    p.running() ? null : Instant.ofEpochMilli(p.endedMillis).toString(), p.exitReported));
        }
        return new SliverRecord(LABEL, FORMAT, s.name, s.curveSeed, Instant.ofEpochMilli(s.createdMillis).toString(),
                new LimitsRecord(l.cpuCores(), l.cpuWeight(), l.memoryBytes(), l.maxProcesses(), l.diskBytes()),
                new StateRecord(s.rng, s.accruedMillis, s.evolvedMillis, s.cpuSeconds, s.memoryBytes,
                        s.memoryPeakBytes, s.diskBytes, s.rxBytes, s.txBytes, s.oomKills, s.processes, s.inBurst,
                        s.overProcessLimit, s.demandCores, s.allocCores),
                s.nextProgramId, programs);
    }

    static SliverModel fromRecord(SliverRecord r, int nodeCores) {
        LimitsRecord l = r.limits();
        SliverModel s = new SliverModel(r.name(), r.curveSeed(), Instant.parse(r.created()).toEpochMilli(),
                new Limits(l.cpuCores(), l.cpuWeight(), l.memoryBytes(), l.maxProcesses(), l.diskBytes()), nodeCores);
        StateRecord st = r.state();
        s.rng = st.rng();
        s.accruedMillis = st.accruedMillis();
        s.evolvedMillis = st.evolvedMillis();
        s.cpuSeconds = st.cpuSeconds();
        s.memoryBytes = st.memoryBytes();
        s.memoryPeakBytes = st.memoryPeakBytes();
        s.diskBytes = st.diskBytes();
        s.rxBytes = st.rxBytes();
        s.txBytes = st.txBytes();
        s.oomKills = st.oomKills();
        s.processes = st.processes();
        s.inBurst = st.inBurst();
        s.overProcessLimit = st.overProcessLimit();
        s.demandCores = Math.min(st.demandCores(), s.quotaCores);
        s.allocCores = Math.min(st.allocCores(), s.demandCores);
        s.nextProgramId = r.nextProgram();
        if (!r.programs().isEmpty()) {
            s.programs = new ArrayList<>(r.programs().size());
            for (ProgramRecord pr : r.programs()) {
                ProgramModel p = new ProgramModel(pr.id(), pr.command(), Instant.parse(pr.started()).toEpochMilli(),
                        pr.processes());
                if (pr.exitCode() != null) {
                    p.exitCode = pr.exitCode();
                    p.endedMillis = Instant.parse(pr.ended()).toEpochMilli();
                    p.exitReported = pr.exitReported();
                    p.exitWritten = true;
                } else {
                    s.running++;
                    s.runningProcesses += p.processes;
                }
                s.programs.add(p);
            }
        }
        return s;
    }

    // ---- files

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static VmmException failure(String message, Throwable cause) {
        return new VmmException(VmmException.Reason.BACKEND_FAILURE, message + ": " + cause, cause);
    }
}
