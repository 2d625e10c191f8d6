package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmException.Reason;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.Signals;
import dev.sliceplane.vmm.linux.internal.cgroup.SliverCounters;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * Slivers as cgroups. Each sliver is a cgroup under the Sliceplane root (in every v1 hierarchy,
 * or once in v2) plus a directory in the state directory with its record, home and programs.
 * The kernel enforces CPU, weight, memory and process limits; the disk quota is only measured.
 * Opening re-attaches to every recorded sliver whose cgroup exists and reports the rest as
 * orphans; closing leaves every sliver running.
 *
 * <p>Every public method is synchronized: the core serialises changes with sampling anyway, and
 * an uncontended lock costs nothing beside a cgroup write.
 */
public final class LinuxBackend implements VmmBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxBackend.class);

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The exit code recorded for a program whose supervisor was killed with it (SIGKILL). */
    static final int KILLED = 128 + 9;
    private static final long KILL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Map<Limit, Enforcement> ENFORCEMENT = enforcement();

    private final BackendContext context;
    private final CgroupDriver driver;
    private final Supervisor supervisor;
    private final RecordStore store;
    private final Trash trash;
    private final NodeCapacity capacity;
    private final BackendInfo info;
    private final long diskScanNanos;
    private final int eventReadPasses;
    /** Slivers attached so far: each one's stagger, so their periodic event-counter reads fall on different passes. */
    private int attached;
    /** Attached slivers by name. */
    private final Map<String, Sliver> slivers = new TreeMap<>();
    /** Names found at open with a cgroup or directory but no usable counterpart; left alone until destroyed. */
    private final Set<String> orphans = new TreeSet<>();

    LinuxBackend(BackendContext context, LinuxSettings settings, CgroupDriver driver, Supervisor supervisor) {
        this.context = context;
        this.driver = driver;
        this.supervisor = supervisor;
        this.diskScanNanos = TimeUnit.SECONDS.toNanos(settings.diskScanSeconds());
        this.eventReadPasses = settings.eventReadPasses();
        driver.prepareRoot();
        this.capacity = NodeFacts.capacity(context.stateDirectory());
        this.info = new BackendInfo("linux", driver.description(), false, ENFORCEMENT);
        this.store = new RecordStore(context.stateDirectory());
        try {
            this.trash = new Trash(context.stateDirectory());
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot prepare " + context.stateDirectory() + ": " + e, e);
        }
        try {
            reattach();
        } catch (RuntimeException e) {
            trash.close();
            throw e;
        }
    }

    private static Map<Limit, Enforcement> enforcement() {
        Map<Limit, Enforcement> map = new EnumMap<>(Limit.class);
        map.put(Limit.CPU_QUOTA, Enforcement.ENFORCED);
        map.put(Limit.CPU_WEIGHT, Enforcement.ENFORCED);
        map.put(Limit.MEMORY, Enforcement.ENFORCED);
        map.put(Limit.PROCESSES, Enforcement.ENFORCED);
        map.put(Limit.DISK, Enforcement.NOT_ENFORCED);
        return Map.copyOf(map);
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public NodeCapacity capacity() {
        return capacity;
    }

    // ---- create and destroy

    @Override
    public synchronized SliverInfo create(SliverSpec spec) {
        String name = spec.name();
        Limits limits = spec.limits();
        checkCapacity(limits);
        if (slivers.containsKey(name)) {
            throw new VmmException(Reason.ALREADY_EXISTS, "sliver '" + name + "' already exists");
        }
        if (orphans.contains(name)) {
            throw new VmmException(Reason.ALREADY_EXISTS,
                    "an orphaned sliver '" + name + "' was found at start; destroy it first");
        }
        Path dir = store.dir(name);
        boolean dirMade = false;
        boolean cgroupMade = false;
        SliverRecord record;
        try {
            Files.createDirectory(dir);
            dirMade = true;
            Files.createDirectory(store.home(name));
            driver.create(name);
            cgroupMade = true;
            Limits held = driver.apply(name, limits, true);
            record = new SliverRecord(name, context.clock().instant(), held.withDiskBytes(limits.diskBytes()), 0, 0,
                    List.of());
            store.write(record);
        } catch (IOException | RuntimeException e) {
            undoCreate(name, dirMade, cgroupMade, e);
            if (e instanceof FileAlreadyExistsException) {
                throw new VmmException(Reason.ALREADY_EXISTS, "sliver '" + name + "' already exists (" + dir + ")", e);
            }
            throw e instanceof VmmException v ? v
                    : new VmmException(Reason.BACKEND_FAILURE, "cannot create sliver '" + name + "': " + e, e);
        }
        Sliver sliver = attach(record);
        slivers.put(name, sliver);
        context.events().accept(VmmEvent.created(name, record.created()));
        return infoOf(sliver);
    }

    /**
     * Reads both event counters of a sliver that was sampled (its files are open) and reports
     * what is new, so an OOM kill or refused fork the schedule had not looked at yet is not lost
     * with the sliver. A sliver never sampled had nothing reported either; it stays so.
     */
    private void reportPendingLimitEvents(Sliver sliver) {
        SliverCounters counters = sliver.openCounters();
        if (counters == null) {
            return;
        }
        try {
            counters.readOomKills();
            counters.readForkRefusals();
        } catch (VmmException e) {
            LOG.debug("sliver '{}': event counters unreadable before destroy: {}", sliver.name(), e.getMessage());
            return;
        }
        reportLimitEvents(sliver, counters);
    }

    private Sliver attach(SliverRecord record) {
        return new Sliver(record, store.home(record.name()), diskScanNanos, eventReadPasses, attached++);
    }

    private void undoCreate(String name, boolean dirMade, boolean cgroupMade, Exception failure) {
        try {
            if (cgroupMade) {
                driver.remove(name);
            }
            if (dirMade) {
                RecordStore.deleteTree(store.dir(name));
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public synchronized void destroy(String name) {
        SliverSpec.requireValidName(name);
        Sliver sliver = slivers.get(name);
        if (sliver == null && !orphans.contains(name)) {
            throw unknown(name);
        }
        killAndWait(name);
        if (sliver != null) {
            // What happened before the kill and was not reported yet is reported before the sliver goes.
            reportPendingLimitEvents(sliver);
            reportEnded(sliver, endedPrograms(sliver, true, true));
            sliver.closeCounters();
        }
        driver.remove(name);
        try {
            if (Files.exists(store.dir(name))) {
                trash.discard(store.dir(name));
            }
        } catch (IOException e) {
            throw new VmmException(Reason.BACKEND_FAILURE, "cannot remove " + store.dir(name) + ": " + e, e);
        }
        slivers.remove(name);
        orphans.remove(name);
        context.events().accept(VmmEvent.destroyed(name, context.clock().instant()));
    }

    @Override
    public synchronized SliverInfo resize(String name, Limits limits) {
        Sliver sliver = require(name);
        checkCapacity(limits);
        Limits old = sliver.record.limits();
        Limits held;
        try {
            held = driver.apply(name, limits, false);
        } catch (VmmException e) {
            try {
                driver.apply(name, old, false);
            } catch (VmmException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        sliver.resized(sliver.record.withLimits(held.withDiskBytes(limits.diskBytes())));
        store.write(sliver.record);
        return infoOf(sliver);
    }

    private void checkCapacity(Limits limits) {
        if (limits.cpuCores() != null && limits.cpuCores() > capacity.cores()) {
            throw new VmmException(Reason.INVALID_LIMIT,
                    "cpu " + limits.cpuCores() + " cores is more than this node's " + capacity.cores());
        }
        if (limits.memoryBytes() != null && capacity.memoryBytes() > 0 && limits.memoryBytes() > capacity.memoryBytes()) {
            throw new VmmException(Reason.INVALID_LIMIT,
                    "memory " + limits.memoryBytes() + " bytes is more than this node's " + capacity.memoryBytes());
        }
        if (limits.diskBytes() != null && capacity.diskBytes() > 0 && limits.diskBytes() > capacity.diskBytes()) {
            throw new VmmException(Reason.INVALID_LIMIT,
                    "disk " + limits.diskBytes() + " bytes is more than this node's " + capacity.diskBytes());
        }
    }

    // ---- programs

    @Override
    public synchronized ProgramInfo launch(String name, ProgramSpec program) {
        Sliver sliver = require(name);
        Path home = store.home(name);
        Path workingDirectory = home.resolve(program.workingDirectory()).normalize();
        if (!workingDirectory.startsWith(home) || !Files.isDirectory(workingDirectory)) {
            throw new VmmException(Reason.LAUNCH_FAILED,
                    "working directory '" + program.workingDirectory() + "' does not exist in the home of '" + name + "'");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", DEFAULT_PATH);
        environment.put("HOME", home.toString());
        environment.put("SLIVER", name);
        environment.putAll(program.environment());
        CommandCheck.problem(program.command().get(0), workingDirectory, environment.get("PATH")).ifPresent(problem -> {
            throw new VmmException(Reason.LAUNCH_FAILED, problem);
        });

        String id = "p" + (sliver.record.programs().size() + 1);
        Path programDir = store.programDir(name, id);
        Supervisor.Started started;
        try {
            if (Files.exists(programDir)) {
                RecordStore.deleteTree(programDir); // left by a crash during an earlier launch
            }
            Files.createDirectories(programDir);
            started = supervisor.start(driver.procsFiles(name), workingDirectory, programDir, environment,
                    program.command());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(programDir, e);
            throw e instanceof VmmException v ? v
                    : new VmmException(Reason.LAUNCH_FAILED, "cannot prepare " + programDir + ": " + e, e);
        }
        ProgramRecord record = new ProgramRecord(id, started.programPid(), started.supervisorPid(), program.command(),
                context.clock().instant(), null, false);
        try {
            store.write(sliver.record.withProgram(record));
        } catch (VmmException e) {
            // Without a record nobody could see or stop it.
            Signals.kill(started.programPid());
            Signals.kill(started.supervisorPid());
            deleteQuietly(programDir, e);
            throw e;
        }
        sliver.record = sliver.record.withProgram(record);
        sliver.started(sliver.record.programs().size() - 1, started.supervisor());
        return programInfo(name, record);
    }

    private static void deleteQuietly(Path dir, Exception failure) {
        try {
            RecordStore.deleteTree(dir);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public synchronized void stop(String name, Duration grace) {
        Sliver sliver = require(name);
        long[] processes = driver.processes(name);
        if (processes.length > 0) {
            for (long pid : processes) {
                Signals.terminate(pid);
            }
            long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
            if (!awaitEmpty(name, deadline)) {
                killAndWait(name);
            }
        }
        awaitSupervisorsReaped(sliver);
    }

    @Override
    public synchronized void kill(String name) {
        Sliver sliver = require(name);
        killAndWait(name);
        awaitSupervisorsReaped(sliver);
    }

    /**
     * Once the sliver's processes are gone, waits until the JVM has reaped the supervisors this
     * backend started (its reaper thread does at once; a bounded wait, for a loaded machine), so
     * the next sample reports every program ended.
     */
    private void awaitSupervisorsReaped(Sliver sliver) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long pause = TimeUnit.MICROSECONDS.toNanos(50);
        while (anySupervisorAlive(sliver) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private boolean anySupervisorAlive(Sliver sliver) {
        List<ProgramRecord> programs = sliver.record.programs();
        for (int place = 0; place < programs.size(); place++) {
            ProgramRecord program = programs.get(place);
            if (!program.exitReported() && program.exitCode() == null
                    && sliver.supervisorAlive(place, program, driver, true)) {
                return true;
            }
        }
        return false;
    }

    /** SIGKILL until no process is left; an empty sliver costs one read and no fork. */
    private void killAndWait(String name) {
        long deadline = System.nanoTime() + KILL_TIMEOUT_NANOS;
        while (driver.processes(name).length > 0) {
            if (System.nanoTime() > deadline) {
                throw new VmmException(Reason.BACKEND_FAILURE,
                        "processes of sliver '" + name + "' survived SIGKILL for 10 s: " + pidsOf(name));
            }
            driver.killAll(name);
            awaitEmpty(name, Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    private boolean awaitEmpty(String name, long deadline) {
        long pause = TimeUnit.MICROSECONDS.toNanos(50);
        while (driver.processes(name).length > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, Math.max(1, deadline - System.nanoTime())));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    private String pidsOf(String name) {
        return Arrays.toString(driver.processes(name));
    }

    // ---- reading

    @Override
    public synchronized List<SliverInfo> list() {
        return slivers.values().stream().map(this::infoOf).toList();
    }

    @Override
    public synchronized Optional<SliverInfo> find(String name) {
        SliverSpec.requireValidName(name);
        return Optional.ofNullable(slivers.get(name)).map(this::infoOf);
    }

    /**
     * One pass over every sliver. A sliver whose cgroup cannot be read (removed behind the
     * backend's back) is left out of the pass and logged. Per sliver a pass reads two cgroup files
     * kept open (CPU time, tasks); the memory usage and peak and the probe of each supervisor
     * adopted at a restart only when the sliver used CPU time since the pass before, and the two
     * event counters (OOM kills, refused forks) only when {@link EventCounterSchedule} says they
     * may have moved; all of them at least every {@code eventReadPasses} passes. {@code cgroup.procs}
     * is listed only when tasks are charged to a sliver without a live supervisor (a daemon left
     * behind, or a zombie), to tell whether any of them still runs.
     */
    @Override
    public synchronized List<SliverUsage> usage() {
        List<SliverUsage> usage = new ArrayList<>(slivers.size());
        long now = System.nanoTime();
        for (Sliver sliver : slivers.values()) {
            String name = sliver.name();
            SliverCounters counters;
            List<ProgramRecord> ended;
            try {
                counters = sliver.counters(driver);
                counters.readCpuAndTasks();
                boolean moved = sliver.schedule().startPass(counters.cpuNanos());
                if (moved) {
                    counters.readMemory();
                }
                ended = endedPrograms(sliver, false, moved);
                readDueEventCounters(sliver, counters, ended != null);
            } catch (VmmException e) {
                if (!sliver.sampleFailing) {
                    LOG.warn("cannot sample sliver '{}' (left out of samples until it can be read): {}", name, e.getMessage());
                }
                sliver.sampleFailing = true;
                sliver.closeCounters();
                continue;
            }
            if (sliver.sampleFailing) {
                LOG.info("sliver '{}' can be sampled again", name);
                sliver.sampleFailing = false;
            }
            reportLimitEvents(sliver, counters);
            reportEnded(sliver, ended);
            long peak = sliver.notePeak(Math.max(counters.memoryPeakBytes(), counters.memoryBytes()));
            usage.add(new SliverUsage(name, state(sliver, counters.tasks()), counters.cpuNanos() / 1e9,
                    counters.memoryBytes(), peak, counters.tasks(), sliver.disk.bytes(sliver.home, now), null, null,
                    sliver.record.reportedOomKills()));
        }
        return usage;
    }

    /** Reads the event counters the sliver's schedule asks for on this pass. */
    private static void readDueEventCounters(Sliver sliver, SliverCounters counters, boolean programEnded) {
        int due = sliver.schedule().countersDue(counters.hasMemoryPeak() ? counters.memoryPeakBytes() : -1,
                counters.memoryBytes(), sliver.memoryLimit(), counters.tasks(), sliver.processLimit(), programEnded);
        if ((due & EventCounterSchedule.OOM_KILLS) != 0) {
            counters.readOomKills();
        }
        if ((due & EventCounterSchedule.FORK_REFUSALS) != 0) {
            counters.readForkRefusals();
        }
    }

    /**
     * RUNNING when a process runs in it: none when no task is charged to it; some when a
     * supervisor lives (it runs in the sliver); else the tasks may all be zombies, and
     * {@code cgroup.procs} (which lists no zombie) decides.
     */
    private SliverState state(Sliver sliver, int tasks) {
        if (tasks == 0) {
            return SliverState.IDLE;
        }
        return sliver.supervised || driver.processes(sliver.name()).length > 0 ? SliverState.RUNNING : SliverState.IDLE;
    }

    /**
     * OOM kills and refused forks since the last report, as far as the counters were read; the
     * counts are kept so a restart does not repeat them.
     */
    private void reportLimitEvents(Sliver sliver, SliverCounters counters) {
        SliverRecord record = sliver.record;
        long newKills = counters.oomKills() - record.reportedOomKills();
        long newRefusals = counters.forkRefusals() - record.reportedForkRefusals();
        if (newKills <= 0 && newRefusals <= 0) {
            return;
        }
        sliver.record = record.withReported(Math.max(counters.oomKills(), record.reportedOomKills()),
                Math.max(counters.forkRefusals(), record.reportedForkRefusals()));
        store.write(sliver.record);
        var now = context.clock().instant();
        if (newKills > 0) {
            context.events().accept(VmmEvent.limitExceeded(sliver.name(), now, Limit.MEMORY, newKills
                    + " process(es) killed by the kernel at the memory limit of " + record.limits().memoryBytes() + " bytes"));
        }
        if (newRefusals > 0) {
            context.events().accept(VmmEvent.limitExceeded(sliver.name(), now, Limit.PROCESSES, newRefusals
                    + " fork(s) refused at the limit of " + record.limits().maxProcesses() + " processes"));
        }
    }

    /**
     * The programs that ended and were not reported yet ({@code null}: none), and whether a
     * supervisor is still there ({@link Sliver#supervised}). A program has ended once its
     * supervisor is gone (looked at before its {@code exit} file, so a supervisor that is gone has
     * finished writing the file, or was killed before it could).
     *
     * @param allGone      every process of the sliver is gone (it is being destroyed)
     * @param mayHaveEnded {@code false}: the sliver used no CPU time since the last look, so every
     *                     supervisor alive then still is (see {@link Sliver#supervisorAlive})
     */
    private List<ProgramRecord> endedPrograms(Sliver sliver, boolean allGone, boolean mayHaveEnded) {
        List<ProgramRecord> ended = null;
        boolean supervised = false;
        List<ProgramRecord> programs = sliver.record.programs();
        for (int place = 0; place < programs.size(); place++) {
            ProgramRecord program = programs.get(place);
            if (program.exitReported()) {
                continue;
            }
            Integer code = program.exitCode();
            if (code == null) {
                if (!allGone && sliver.supervisorAlive(place, program, driver, mayHaveEnded)) {
                    supervised = true;
                    continue;
                }
                code = readExit(sliver.name(), program.id());
                if (code == null) {
                    code = KILLED;
                    recordKilled(sliver.name(), program.id());
                }
            }
            if (ended == null) {
                ended = new ArrayList<>();
            }
            ended.add(program.reported(code));
        }
        sliver.supervised = supervised;
        return ended;
    }

    /** Records and reports the programs {@link #endedPrograms} found ended; nothing for {@code null}. */
    private void reportEnded(Sliver sliver, List<ProgramRecord> ended) {
        if (ended == null) {
            return;
        }
        for (ProgramRecord program : ended) {
            sliver.record = sliver.record.withProgram(program);
            sliver.ended(program.id());
        }
        store.write(sliver.record);
        for (ProgramRecord program : ended) {
            context.events().accept(VmmEvent.programExited(sliver.name(), context.clock().instant(), program.id(),
                    program.exitCode()));
        }
    }

    /** The exit code in a program's {@code exit} file, or {@code null} when there is none (yet). */
    private Integer readExit(String sliver, String programId) {
        Path exit = store.programDir(sliver, programId).resolve("exit");
        try {
            return Integer.valueOf(Files.readString(exit, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable exit file {}: {}", exit, e.toString());
            return null;
        }
    }

    /** Writes 137 for a program killed together with its supervisor, so every later reader agrees. */
    private void recordKilled(String sliver, String programId) {
        Path exit = store.programDir(sliver, programId).resolve("exit");
        try {
            RecordStore.writeAtomically(exit, (KILLED + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", exit, e.toString());
        }
    }

    private SliverInfo infoOf(Sliver sliver) {
        SliverRecord record = sliver.record;
        Map<Limit, Enforcement> enforcement = new EnumMap<>(Limit.class);
        record.limits().asMap().keySet().forEach(limit -> enforcement.put(limit, ENFORCEMENT.get(limit)));
        List<ProgramInfo> programs = new ArrayList<>(record.programs().size());
        for (ProgramRecord program : record.programs()) {
            if (program.exitCode() == null) {
                // Seen here before sampling reports it; the event still comes from usage().
                Integer code = readExit(record.name(), program.id());
                if (code != null) {
                    program = program.withExitCode(code);
                    sliver.record = sliver.record.withProgram(program);
                }
            }
            programs.add(programInfo(record.name(), program));
        }
        return new SliverInfo(record.name(), record.limits(), enforcement, store.home(record.name()), record.created(),
                programs);
    }

    private ProgramInfo programInfo(String sliver, ProgramRecord program) {
        Path dir = store.programDir(sliver, program.id());
        return new ProgramInfo(program.id(), program.pid(), program.command(), program.started(),
                dir.resolve("stdout"), dir.resolve("stderr"), program.exitCode());
    }

    private Sliver require(String name) {
        SliverSpec.requireValidName(name);
        Sliver sliver = slivers.get(name);
        if (sliver == null) {
            throw unknown(name);
        }
        return sliver;
    }

    private static VmmException unknown(String name) {
        return new VmmException(Reason.UNKNOWN_SLIVER, "no sliver named '" + name + "'");
    }

    // ---- restart

    /**
     * Attaches to every recorded sliver whose cgroup exists, and reports (once) each cgroup
     * without a record and each record or directory without a cgroup. Nothing is killed or removed.
     */
    private void reattach() {
        Set<String> cgroups = new TreeSet<>(driver.sliverCgroups());
        Map<String, String> found = new TreeMap<>();
        for (String name : store.names()) {
            boolean hasCgroup = cgroups.remove(name);
            if (!validName(name)) {
                found.put("dir:" + name, "directory '" + name + "' in " + store.dir(name).getParent()
                        + " is not a sliver name; left alone");
                continue;
            }
            SliverRecord record;
            try {
                record = store.read(name);
            } catch (IOException e) {
                found.put("dir:" + name, "sliver directory " + store.dir(name) + " has no readable record ("
                        + e.getMessage() + ")" + (hasCgroup ? "; its cgroup exists" : "") + "; left alone");
                orphans.add(name);
                continue;
            }
            if (!hasCgroup || !driver.exists(name)) {
                found.put("record:" + name, "sliver '" + name + "' has a record but its cgroup is gone"
                        + " (was the node rebooted?); left alone until destroyed");
                orphans.add(name);
                continue;
            }
            Limits kernel = driver.read(name).withDiskBytes(record.limits().diskBytes());
            if (!kernel.equals(record.limits())) {
                LOG.info("sliver '{}': limits changed outside Sliceplane, now {}", name, kernel);
                record = record.withLimits(kernel);
                store.write(record);
            }
            slivers.put(name, attach(record));
        }
        for (String name : cgroups) {
            found.put("cgroup:" + name, "cgroup '" + name + "' under the Sliceplane root has no record; left alone");
            if (validName(name)) {
                orphans.add(name);
            }
        }
        Map<String, String> fresh;
        try {
            fresh = new OrphanLedger(context.stateDirectory()).unreported(found);
        } catch (IOException e) {
            LOG.warn("cannot read or write the orphan ledger, reporting every orphan: {}", e.toString());
            fresh = found;
        }
        var now = context.clock().instant();
        fresh.forEach((key, message) -> {
            LOG.warn("orphan: {}", message);
            context.events().accept(VmmEvent.orphanFound(key.substring(key.indexOf(':') + 1), now, message));
        });
    }

    private static boolean validName(String name) {
        try {
            SliverSpec.requireValidName(name);
            return true;
        } catch (VmmException e) {
            return false;
        }
    }

    /** Releases the backend's own resources (open counter files, the trash thread); slivers, their processes and cgroups stay. */
    @Override
    public synchronized void close() {
        slivers.values().forEach(Sliver::closeCounters);
        trash.close();
    }
}
