package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.process.internal.StateLayout.SliverPaths;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * The process backend: a sliver is a directory record plus the sessions of the programs
 * launched in it. No root and no cgroups are needed. Usage is summed from /proc over each
 * sliver's sessions; limits are held by rlimits, nice values and the {@link Guard}, and
 * reported as {@code APPROXIMATE} or {@code NOT_ENFORCED}, never as more than they are.
 *
 * <p>Public methods are synchronized, although the core already serialises changes with
 * sampling: it costs nothing and keeps plain-Java users safe. The guard thread never takes
 * this lock.
 */
public final class ProcessBackend implements VmmBackend {

    /** The backend's name, as registered. */
    public static final String NAME = "process";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);

    private final BackendContext context;
    private final Host host;
    private final ProcessSettings settings;
    private final StateLayout layout;
    private final RecordStore store = new RecordStore();
    private final EnforcementPolicy policy;
    private final CapacityReader capacity;
    private final Signaller signaller;
    private final Guard guard;
    private final Terminator terminator;
    private final ProgramLauncher launcher;
    private final SliverAssembler assembler;
    private final ExitTracker exits;
    private final DiskUsage disk;
    private final UsageSampler sampler;
    private final ResizeApplier resizer;
    private final Map<String, Sliver> slivers;
    private boolean closed;

    private ProcessBackend(BackendContext context, Host host) {
        this.context = context;
        this.host = host;
        this.settings = ProcessSettings.from(context);
        this.layout = new StateLayout(context.stateDirectory().toAbsolutePath());
        this.policy = new EnforcementPolicy(host.root(), host.ownNice(), host.tools().nice().isPresent());
        this.capacity = new CapacityReader(host.proc(), Path.of("/sys/class/net"), layout.root());
        this.signaller = new Signaller(host.tools().shell());
        this.terminator = new Terminator(host.proc(), signaller);
        this.launcher = new ProgramLauncher(host, settings, policy, signaller, context.clock());
        this.assembler = new SliverAssembler(host, settings, signaller, store);
        this.exits = new ExitTracker(host.bootId(), store, context.events(), context.clock());
        this.disk = new DiskUsage(settings.diskScanInterval(), System::nanoTime);
        this.sampler = new UsageSampler(host.pageSize(), store, exits, assembler, disk, context.events(),
                context.clock());
        this.resizer = new ResizeApplier(host, settings, policy);
        try {
            this.slivers = new Recovery(host, layout, store, assembler, exits, signaller, context.events(),
                    context.clock()).recover();
        } catch (RuntimeException e) {
            signaller.close();
            throw e;
        }
        this.guard = new Guard(host.proc(), settings.guardPeriod());
        slivers.values().forEach(s -> guard.watch(s.guarded()));
    }

    /**
     * Opens the backend on the context's state directory: re-attaches to recorded slivers and
     * reports orphans.
     */
    public static ProcessBackend open(BackendContext context, Host host) {
        try {
            return new ProcessBackend(context, host);
        } catch (VmmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot open the process backend: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized BackendInfo info() {
        String detail = String.format("slivers as process sessions (setsid) with rlimits, usage summed from /proc;"
                        + " running as uid %d%s; guard every %d ms; USER_HZ %d; autogroup %s; RLIMIT_AS %s",
                host.uid(), host.root() ? " (root)" : "", settings.guardPeriod().toMillis(), host.ticksPerSecond(),
                host.autogroup() ? "on" : "off", settings.addressSpaceFactor() > 0
                        ? settings.addressSpaceFactor() + " x the memory limit" : "not set");
        return new BackendInfo(NAME, detail, false, policy.backend());
    }

    @Override
    public synchronized NodeCapacity capacity() {
        requireOpen();
        return capacity.read();
    }

    @Override
    public synchronized SliverInfo create(SliverSpec spec) {
        requireOpen();
        if (spec == null) {
            throw new VmmException(Reason.INVALID_NAME, "a sliver needs a spec");
        }
        capacity.check(spec.limits());
        SliverPaths paths = layout.sliver(spec.name());
        if (slivers.containsKey(spec.name())) {
            throw alreadyExists(spec.name());
        }
        try {
            Files.createDirectory(paths.dir());
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(spec.name());
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot create " + paths.dir() + ": " + e, e);
        }
        Sliver sliver;
        try {
            Files.createDirectory(paths.home());
            Files.createDirectory(paths.programs());
            SliverRecord record = new SliverRecord(spec.name(), spec.limits(), context.clock().instant(), 0, 0);
            store.write(paths.record(), record);
            sliver = assembler.assemble(record, paths, GuardCounters.NONE, Optional.empty());
        } catch (IOException | RuntimeException e) {
            removeQuietly(paths.dir());
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot create sliver " + spec.name() + ": " + e, e);
        }
        slivers.put(spec.name(), sliver);
        guard.watch(sliver.guarded());
        context.events().accept(VmmEvent.created(spec.name(), context.clock().instant()));
        return info(sliver);
    }

    @Override
    public synchronized ProgramInfo launch(String name, ProgramSpec program) {
        requireOpen();
        Sliver sliver = require(name);
        if (program == null) {
            throw new VmmException(Reason.INVALID_PROGRAM, "a program needs a spec");
        }
        String id = sliver.nextProgramId(programDirectories(sliver));
        ProgramRecord record = launcher.launch(name, sliver.paths(), id, program, sliver.record().limits());
        try {
            store.write(sliver.paths().program(id).record(), record);
        } catch (RuntimeException e) {
            SliverProcesses started = new SliverProcesses(List.of(
                    new SliverProcesses.Program(record.session(), sliver.paths().program(id))));
            terminator.terminate(name, started, Duration.ZERO, settings.killTimeout());
            removeQuietly(sliver.paths().program(id).dir());
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot record program " + id + ": " + e.getMessage(), e);
        }
        sliver.putProgram(record);
        return programInfo(sliver, record);
    }

    @Override
    public synchronized void stop(String name, Duration grace) {
        requireOpen();
        Sliver sliver = require(name);
        end(sliver, grace == null || grace.isNegative() ? Duration.ZERO : grace);
    }

    @Override
    public synchronized void kill(String name) {
        requireOpen();
        end(require(name), Duration.ZERO);
    }

    @Override
    public synchronized SliverInfo resize(String name, Limits limits) {
        requireOpen();
        Sliver sliver = require(name);
        if (limits == null) {
            throw new VmmException(Reason.INVALID_LIMIT, "limits are required; use Limits.NONE for none");
        }
        capacity.check(limits);
        Limits before = sliver.record().limits();
        SliverRecord record = sliver.record().withLimits(limits);
        store.write(sliver.paths().record(), record);
        sliver.setRecord(record);
        sliver.guarded().setLimits(limits);
        resizer.apply(sliver.processes(), before, limits);
        return info(sliver);
    }

    @Override
    public synchronized void destroy(String name) {
        requireOpen();
        Sliver sliver = require(name);
        sliver.guarded().suspend();
        try {
            terminator.terminate(name, sliver.processes(), Duration.ZERO, settings.killTimeout());
        } catch (RuntimeException e) {
            sliver.guarded().resume(); // the sliver stays, guarded as before
            throw e;
        }
        guard.forget(name);
        exits.settle(sliver, ProcessTable.live(host.proc()));
        Path trash = layout.trash().resolve(name + "-" + System.nanoTime());
        try {
            Files.move(sliver.paths().dir(), trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot remove sliver " + name + ": " + e, e);
        }
        slivers.remove(name);
        disk.forget(name);
        context.events().accept(VmmEvent.destroyed(name, context.clock().instant()));
        try {
            RecordStore.deleteTree(trash);
        } catch (IOException e) {
            LOG.warn("sliver {} is destroyed but {} could not be removed yet: {}", name, trash, e.toString());
        }
    }

    @Override
    public synchronized List<SliverInfo> list() {
        requireOpen();
        List<SliverInfo> all = new ArrayList<>();
        ProcessLookup live = ProcessTable.live(host.proc());
        for (Sliver sliver : slivers.values()) {
            exits.settle(sliver, live);
            all.add(info(sliver));
        }
        return all;
    }

    @Override
    public synchronized Optional<SliverInfo> find(String name) {
        requireOpen();
        SliverSpec.requireValidName(name);
        Sliver sliver = slivers.get(name);
        if (sliver == null) {
            return Optional.empty();
        }
        exits.settle(sliver, ProcessTable.live(host.proc()));
        return Optional.of(info(sliver));
    }

    @Override
    public synchronized List<SliverUsage> usage() {
        requireOpen();
        ProcessTable table = ProcessTable.scan(host.proc());
        List<SliverUsage> all = new ArrayList<>();
        for (Sliver sliver : slivers.values()) {
            all.add(sampler.sample(sliver, table));
        }
        return all;
    }

    /** Releases the guard and the signal helper; slivers keep running and nothing is left stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        guard.close();
        for (Sliver sliver : slivers.values()) {
            try {
                assembler.saveUsage(sliver);
            } catch (RuntimeException e) {
                LOG.warn("cannot save the usage of {}: {}", sliver.name(), e.getMessage());
            }
        }
        signaller.close();
    }

    /** Stop and kill: the guard pauses so nothing it stopped misses the signals. */
    private void end(Sliver sliver, Duration grace) {
        sliver.guarded().suspend();
        try {
            terminator.terminate(sliver.name(), sliver.processes(), grace, settings.killTimeout());
        } finally {
            sliver.guarded().resume();
        }
        exits.settle(sliver, ProcessTable.live(host.proc()));
    }

    private SliverInfo info(Sliver sliver) {
        List<ProgramInfo> programs = new ArrayList<>();
        for (ProgramRecord p : sliver.programs()) {
            programs.add(programInfo(sliver, p));
        }
        SliverRecord record = sliver.record();
        return new SliverInfo(record.name(), record.limits(), policy.sliver(record.limits()), sliver.paths().home(),
                record.created(), programs);
    }

    private static ProgramInfo programInfo(Sliver sliver, ProgramRecord p) {
        StateLayout.ProgramPaths paths = sliver.paths().program(p.id());
        return new ProgramInfo(p.id(), p.pid() > 0 ? p.pid() : p.session().sid(), p.command(), p.started(),
                paths.stdout(), paths.stderr(), p.exitCode());
    }

    private Sliver require(String name) {
        SliverSpec.requireValidName(name);
        Sliver sliver = slivers.get(name);
        if (sliver == null) {
            throw new VmmException(Reason.UNKNOWN_SLIVER, "no sliver named '" + name + "'");
        }
        return sliver;
    }

    private void requireOpen() {
        if (closed) {
            throw new VmmException(Reason.BACKEND_FAILURE, "the process backend is closed");
        }
    }

    private static Set<String> programDirectories(Sliver sliver) {
        Set<String> ids = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sliver.paths().programs())) {
            dirs.forEach(d -> ids.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot list " + sliver.paths().programs() + ": " + e, e);
        }
        return ids;
    }

    private static VmmException alreadyExists(String name) {
        return new VmmException(Reason.ALREADY_EXISTS, "a sliver named '" + name + "' exists already");
    }

    private static void removeQuietly(Path dir) {
        try {
            RecordStore.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
