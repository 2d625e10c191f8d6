package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.process.internal.Signaller.Signal;
import dev.sliceplane.vmm.process.internal.StateLayout.SliverPaths;

/**
 * What {@code open()} does before the backend serves: re-reads every record, re-attaches to
 * the programs still running (nothing is killed), reports programs that ended meanwhile, and
 * reports as {@code ORPHAN_FOUND}, once, what does not add up:
 * <ul>
 * <li>a directory under {@code slivers/} without a readable record;</li>
 * <li>a program directory without a record (a launch cut short by a crash);</li>
 * <li>a running supervisor of ours (recognised by its {@code $0} and its directory under this
 * state directory) that no record names.</li>
 * </ul>
 * Orphans are left alone. It also continues any process a previous backend left stopped
 * in a throttled sliver, and finishes removing slivers whose destroy was cut short.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final Host host;
    private final StateLayout layout;
    private final RecordStore store;
    private final SliverAssembler assembler;
    private final ExitTracker exits;
    private final Signaller signaller;
    private final Consumer<VmmEvent> events;
    private final Clock clock;

    Recovery(Host host, StateLayout layout, RecordStore store, SliverAssembler assembler, ExitTracker exits,
             Signaller signaller, Consumer<VmmEvent> events, Clock clock) {
        this.host = host;
        this.layout = layout;
        this.store = store;
        this.assembler = assembler;
        this.exits = exits;
        this.signaller = signaller;
        this.events = events;
        this.clock = clock;
    }

    Map<String, Sliver> recover() {
        try {
            Files.createDirectories(layout.slivers());
            Files.createDirectories(layout.trash());
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                    "cannot use the state directory " + layout.root() + ": " + e, e);
        }
        emptyTrash();
        OrphanLedger ledger = new OrphanLedger(store, layout.orphans());
        Map<String, Sliver> slivers = new TreeMap<>();
        for (Path dir : list(layout.slivers())) {
            load(dir, ledger).ifPresent(s -> slivers.put(s.name(), s));
        }
        ProcessTable table = ProcessTable.scan(host.proc());
        for (Sliver sliver : slivers.values()) {
            exits.settle(sliver, table);
            continueStopped(sliver, table);
        }
        findUnrecordedSupervisors(slivers, table, ledger);
        ledger.save();
        return slivers;
    }

    private Optional<Sliver> load(Path dir, OrphanLedger ledger) {
        String name = dir.getFileName().toString();
        if (name.startsWith(".")) {
            return Optional.empty();
        }
        SliverPaths paths = new SliverPaths(dir);
        Optional<SliverRecord> record;
        try {
            SliverSpec.requireValidName(name);
            record = store.read(paths.record(), SliverRecord.class).filter(r -> name.equals(r.name()));
        } catch (RuntimeException e) {
            record = Optional.empty();
        }
        if (record.isEmpty()) {
            orphan(ledger, "dir:" + name, name, "directory " + dir + " has no readable sliver record; left alone");
            return Optional.empty();
        }
        GuardCounters counters = readQuietly(paths.guard(), GuardCounters.class).orElse(GuardCounters.NONE);
        Optional<UsageState> usage = readQuietly(paths.usage(), UsageState.class);
        Sliver sliver = assembler.assemble(record.get(), paths, counters, usage);
        for (Path programDir : list(paths.programs())) {
            String id = programDir.getFileName().toString();
            Optional<ProgramRecord> program = readQuietly(paths.program(id).record(), ProgramRecord.class)
                    .filter(p -> id.equals(p.id()));
            if (program.isPresent()) {
                sliver.putProgram(program.get());
            } else {
                orphan(ledger, "program:" + name + "/" + id, name, "program directory " + programDir
                        + " has no readable record (a launch cut short?); left alone");
            }
        }
        return Optional.of(sliver);
    }

    /** A previous backend may have ended while its throttle had the sliver stopped. */
    private void continueStopped(Sliver sliver, ProcessTable table) {
        if (sliver.record().limits().cpuCores() == null) {
            return;
        }
        List<Long> stopped = new ArrayList<>();
        for (ProcStat p : sliver.processes().workers(table)) {
            if (p.stopped()) {
                stopped.add(p.pid());
            }
        }
        signaller.send(Signal.CONT, stopped);
    }

    private void findUnrecordedSupervisors(Map<String, Sliver> slivers, ProcessTable table, OrphanLedger ledger) {
        Set<ProcessKey> recorded = new HashSet<>();
        for (Sliver s : slivers.values()) {
            for (ProgramRecord p : s.programs()) {
                table.get(p.session().sid()).filter(l -> p.session().isOurLeader(l))
                        .ifPresent(l -> recorded.add(l.key()));
            }
        }
        for (ProcStat p : table.all()) {
            if (!p.alive() || !p.leadsSession() || recorded.contains(p.key())) {
                continue;
            }
            List<String> argv = commandLine(p.pid());
            if (argv.size() > 4 && argv.get(3).equals(Supervisor.MARKER) && ours(Path.of(argv.get(4)))) {
                Path programDir = Path.of(argv.get(4));
                orphan(ledger, "process:" + p.key(), sliverOf(programDir), "supervisor pid " + p.pid() + " of "
                        + programDir + " is running but no record names it; left alone");
            }
        }
    }

    private boolean ours(Path programDir) {
        return programDir.startsWith(layout.slivers().toAbsolutePath())
                || programDir.startsWith(layout.trash().toAbsolutePath());
    }

    /** {@code .../slivers/<name>/programs/<id>}, or a trash entry. */
    private static String sliverOf(Path programDir) {
        Path sliverDir = programDir.getParent() == null ? programDir : programDir.getParent().getParent();
        return sliverDir == null ? programDir.toString() : sliverDir.getFileName().toString();
    }

    private List<String> commandLine(long pid) {
        try {
            byte[] bytes = ProcFiles.readBytes(host.proc().resolve(pid + "/cmdline"));
            List<String> argv = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    argv.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return argv;
        } catch (IOException e) {
            return List.of();
        }
    }

    private void orphan(OrphanLedger ledger, String key, String sliver, String message) {
        if (ledger.isNew(key)) {
            events.accept(VmmEvent.orphanFound(sliver, clock.instant(), message));
        }
    }

    /** Slivers whose destroy was cut short: their processes are gone and DESTROYED was sent. */
    private void emptyTrash() {
        for (Path entry : list(layout.trash())) {
            try {
                RecordStore.deleteTree(entry);
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", entry, e.toString());
            }
        }
    }

    private <T> Optional<T> readQuietly(Path file, Class<T> type) {
        try {
            return store.read(file, type);
        } catch (RuntimeException e) {
            LOG.warn("ignoring unreadable {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot list " + dir + ": " + e, e);
        }
        entries.sort(null);
        return entries;
    }
}
