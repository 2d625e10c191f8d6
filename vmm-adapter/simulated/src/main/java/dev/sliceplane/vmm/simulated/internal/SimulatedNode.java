package dev.sliceplane.vmm.simulated.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.simulated.SimulationSettings;
import dev.sliceplane.vmm.spi.BackendContext;

/**
 * The simulated node: the model behind {@code SimulatedBackend}. It keeps the slivers, advances
 * the model at each {@link #usage()} pass to the context clock's time, keeps the node's own
 * counters, persists records when slivers change, and sends events through the context's sink.
 *
 * <p>Model time is the context clock's time, never allowed to go back. Between passes every
 * sliver holds its CPU allocation (zero-order hold): counters accrue at the held rates, and a
 * pass computes the next rates from the load curve, the limits and the node's contention. Every
 * random draw comes from the sliver's own stream, and slivers are visited in name order, so the
 * results depend only on the seed, the settings, the clock readings and the sequence of calls.
 *
 * <p>Not thread-safe, as the SPI allows (the VMM core serialises calls), except the failure
 * injection methods, which only queue an injection for the next pass.
 */
public final class SimulatedNode {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedNode.class);

    // The node's own background (kernel, daemons): cores, runnable tasks, bytes per second.
    private static final double BG_USER = 0.02;
    private static final double BG_SYSTEM = 0.03;
    private static final double BG_IRQ = 0.002;
    private static final double BG_RUNNABLE = 0.05;
    private static final double BG_RX = 2_000;
    private static final double BG_TX = 1_000;
    /** Softirq CPU seconds per byte sent or received: one CPU-second per gigabyte. */
    private static final double SOFTIRQ_PER_BYTE = 1e-9;
    /** The simulated disk's bandwidth, for the iowait its writes cause. */
    private static final double DISK_BYTES_PER_SECOND = 200e6;
    private static final double NOISE = 0.15;
    private static final double MEMORY_REVERSION_SECONDS = 120;
    private static final double MEMORY_SPREAD = 0.08;
    private static final double DISK_CLEANUP_SECONDS = 4 * 3600;
    private static final double[] LOAD_SECONDS = {60, 300, 900};
    private static final int[] CRASH_CODES = {1, 2, 134, 139};
    private static final double INITIAL_MEMORY_SHARE = 0.3;

    private static final int USER = 0;
    private static final int NICE = 1;
    private static final int SYSTEM = 2;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int IRQ = 5;
    private static final int SOFTIRQ = 6;
    private static final int STEAL = 7;

    private final SimulationSettings settings;
    private final int cores;
    private final Path stateDirectory;
    private final Clock clock;
    private final Consumer<VmmEvent> sink;
    /** {@code null} when the settings say not to persist. */
    private final Records records;
    private final BackendInfo info;
    private final NodeCapacity capacity;
    private final long systemMemoryBytes;
    private final long systemDiskBytes;

    /** Looked up from injecting threads too; never iterated (iteration order would not be deterministic). */
    private final ConcurrentHashMap<String, SliverModel> byName = new ConcurrentHashMap<>();
    /** The slivers by name, rebuilt when the set changed. */
    private SliverModel[] ordered = new SliverModel[0];
    private boolean orderStale;
    private final ConcurrentLinkedQueue<Injection> injections = new ConcurrentLinkedQueue<>();
    /** Events of the current operation, sent after its records are written. */
    private final ArrayList<VmmEvent> outbox = new ArrayList<>();
    private final ArrayList<SliverModel> toWrite = new ArrayList<>();

    private long bootMillis;
    /** Model time: the latest clock reading, never going back. */
    private long nowMillis;
    /** Model time of the last pass. */
    private long passMillis;
    private long passes;
    private final double[] cpu = new double[8];
    private final double[] load = new double[3];
    private final long[] rx;
    private final long[] tx;
    // Accrued by slivers since the node's last pass.
    private double pendingUser;
    private double pendingSystem;
    private long pendingRx;
    private long pendingTx;
    private long pendingDisk;
    private Double cpuBusy;
    private double sumDemand;
    private double sumAlloc;
    private long diskUsed;
    private boolean passedSinceCheckpoint;
    /** Read by injecting threads too. */
    private volatile boolean closed;

    public SimulatedNode(BackendContext context) {
        try {
            this.settings = SimulationSettings.from(context.settings());
        } catch (IllegalArgumentException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "simulated backend: " + e.getMessage(), e);
        }
        this.cores = settings.cores();
        this.stateDirectory = context.stateDirectory();
        this.clock = context.clock();
        this.sink = context.events();
        this.capacity = new NodeCapacity(cores, settings.memoryBytes(), settings.diskBytes(), settings.interfaces());
        this.systemMemoryBytes = Math.min(settings.memoryBytes() / 4, (256L << 20) + settings.memoryBytes() / 32);
        this.systemDiskBytes = Math.min(settings.diskBytes() / 10, (8L << 30) + settings.diskBytes() / 100);
        this.rx = new long[settings.interfaces().size()];
        this.tx = new long[settings.interfaces().size()];
        Map<Limit, Enforcement> enforced = new EnumMap<>(Limit.class);
        for (Limit limit : Limit.values()) {
            enforced.put(limit, Enforcement.ENFORCED);
        }
        this.info = new BackendInfo("simulated", String.format(Locale.ROOT,
                "SIMULATION: a deterministic model of a node (seed %d, %d cores, %s memory, %s disk%s); "
                        + "no process runs and every figure is synthetic",
                settings.seed(), cores, size(settings.memoryBytes()), size(settings.diskBytes()),
                settings.persist() ? "" : ", nothing persisted"), true, enforced);
        this.nowMillis = clock.millis();
        if (settings.persist()) {
            this.records = new Records(stateDirectory);
            Optional<Records.NodeRecord> node = records.readNode();
            if (node.isPresent()) {
                restoreNode(node.get());
            } else {
                initNode();
                writeNode();
            }
            loadSlivers();
        } else {
            this.records = null;
            initNode();
        }
        commit();
    }

    // ---- the backend contract

    public BackendInfo info() {
        return info;
    }

    public NodeCapacity capacity() {
        return capacity;
    }

    public SimulationSettings settings() {
        return settings;
    }

    /** The model time: the latest clock reading seen. */
    public Instant modelTime() {
        return Instant.ofEpochMilli(nowMillis);
    }

    /** How many passes advanced the model since this backend was opened. */
    public long passes() {
        return passes;
    }

    public SliverInfo create(SliverSpec spec) {
        requireOpen();
        Objects.requireNonNull(spec, "spec");
        checkCapacity(spec.limits());
        String name = spec.name();
        if (byName.containsKey(name)) {
            throw new VmmException(VmmException.Reason.ALREADY_EXISTS, "sliver '" + name + "' already exists");
        }
        long now = now();
        SliverModel s = new SliverModel(name, Rng.derive(settings.seed(), name), now, spec.limits(), cores);
        if (records != null) {
            records.createSliver(s);
        }
        byName.put(name, s);
        orderStale = true;
        outbox.add(VmmEvent.created(name, Instant.ofEpochMilli(now)));
        commit();
        return info(s);
    }

    public ProgramInfo launch(String sliver, ProgramSpec program) {
        requireOpen();
        SliverModel s = require(sliver);
        Objects.requireNonNull(program, "program");
        String executable = program.command().get(0);
        if (settings.failsToLaunch(executable)) {
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "cannot start '" + executable
                    + "': no such file or directory (simulated, by the '" + SimulationSettings.FAILING_COMMANDS
                    + "' setting)");
        }
        long now = now();
        accrue(s, now);
        if (s.processes >= s.processLimit) {
            outbox.add(VmmEvent.limitExceeded(s.name, Instant.ofEpochMilli(now), Limit.PROCESSES,
                    "fork refused: the sliver is at its limit of " + s.processLimit + " processes (simulated)"));
            commit();
            throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "cannot start '" + executable
                    + "': sliver '" + s.name + "' is at its limit of " + s.processLimit + " processes (simulated)");
        }
        int processes = 1 + (int) (s.next() * s.maxProcessesPerProgram);
        ProgramModel p = new ProgramModel(s.nextProgramId, program.command(), now, processes);
        if (records != null) {
            try {
                records.createProgram(s, p);
            } catch (IOException e) {
                try {
                    records.deleteProgram(s, p);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw new VmmException(VmmException.Reason.LAUNCH_FAILED, "cannot record program " + p.name()
                        + " of sliver '" + s.name + "': " + e, e);
            }
        }
        s.nextProgramId++;
        if (s.programs == null) {
            s.programs = new ArrayList<>(2);
        }
        s.programs.add(p);
        if (s.running == 0) {
            s.evolvedMillis = now;
            s.inBurst = false;
        }
        s.running++;
        s.runningProcesses += processes;
        s.processes = Math.min(s.processLimit, s.processes + processes);
        s.memoryBytes = Math.min(s.memoryLimit, s.memoryBytes + (long) (INITIAL_MEMORY_SHARE * s.memoryPerProgram));
        s.memoryPeakBytes = Math.max(s.memoryPeakBytes, s.memoryBytes);
        // Until the next pass re-balances the node, it runs on its curve within what is left free.
        double demand = Math.min(Math.max(0, s.curve(now)) * Math.sqrt(s.running), s.quotaCores);
        setDemand(s, demand);
        setAlloc(s, Math.min(demand, Math.max(0, cores - (sumAlloc - s.allocCores))));
        queueWrite(s);
        commit();
        return programInfo(s, p);
    }

    /** Every running program honours SIGTERM at once: exit code 143, no waiting for the grace. */
    public void stop(String sliver, Duration grace) {
        requireOpen();
        Objects.requireNonNull(grace, "grace");
        endAll(require(sliver), 143);
    }

    /** Every running program is killed: exit code 137. */
    public void kill(String sliver) {
        requireOpen();
        endAll(require(sliver), 137);
    }

    public SliverInfo resize(String sliver, Limits limits) {
        requireOpen();
        SliverModel s = require(sliver);
        Objects.requireNonNull(limits, "limits");
        checkCapacity(limits);
        long now = now();
        accrue(s, now);
        s.setLimits(limits, cores);
        setDemand(s, Math.min(s.demandCores, s.quotaCores));
        setAlloc(s, Math.min(s.allocCores, s.demandCores));
        queueWrite(s);
        commit();
        return info(s);
    }

    public void destroy(String sliver) {
        requireOpen();
        SliverModel s = require(sliver);
        long now = now();
        accrue(s, now);
        endRunning(s, 137, now);
        if (records != null) {
            try {
                records.deleteSliver(s.name);
            } catch (IOException e) {
                commit();
                throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot remove sliver '" + s.name
                        + "' (its programs were killed): " + e, e);
            }
        }
        byName.remove(s.name);
        orderStale = true;
        diskUsed -= s.diskBytes;
        setDemand(s, 0);
        setAlloc(s, 0);
        outbox.add(VmmEvent.destroyed(s.name, Instant.ofEpochMilli(now)));
        commit();
    }

    public List<SliverInfo> list() {
        requireOpen();
        SliverModel[] all = ordered();
        List<SliverInfo> list = new ArrayList<>(all.length);
        for (SliverModel s : all) {
            list.add(info(s));
        }
        return list;
    }

    public Optional<SliverInfo> find(String sliver) {
        requireOpen();
        SliverModel s = sliver == null ? null : byName.get(sliver);
        return s == null ? Optional.empty() : Optional.of(info(s));
    }

    /**
     * One pass: advances the model to the clock's time (counters at the held rates, then the
     * node's counters, then each sliver's levels and failures), applies queued injections,
     * re-balances the CPU, reports the events of the pass, and returns every sliver's usage by name.
     */
    public List<SliverUsage> usage() {
        requireOpen();
        long now = now();
        SliverModel[] all = ordered();
        boolean step = now > passMillis;
        if (step) {
            for (SliverModel s : all) {
                accrue(s, now);
            }
            account(now);
        }
        if (step) {
            for (SliverModel s : all) {
                evolve(s, now);
            }
        }
        applyInjections(now);
        if (step) {
            relieveNodeMemory(all, now);
            share(all);
            passMillis = now;
            passes++;
            passedSinceCheckpoint = true;
        }
        commit();
        SliverUsage[] usage = new SliverUsage[all.length];
        for (int i = 0; i < all.length; i++) {
            SliverModel s = all[i];
            usage[i] = new SliverUsage(s.name, s.running > 0 ? SliverState.RUNNING : SliverState.IDLE, s.cpuSeconds,
                    s.memoryBytes, s.memoryPeakBytes, s.processes, s.diskBytes, s.rxBytes, s.txBytes, s.oomKills);
        }
        return Collections.unmodifiableList(Arrays.asList(usage));
    }

    /** The node as of the last pass (and the slivers' memory and disk as they are now). */
    public NodeStatus nodeStatus() {
        requireOpen();
        long memory = 0;
        for (SliverModel s : ordered()) {
            memory += s.memoryBytes;
        }
        long memoryAvailable = Math.max(0, settings.memoryBytes() - systemMemoryBytes - memory);
        long diskFree = Math.max(0, settings.diskBytes() - systemDiskBytes - diskUsed);
        List<NodeStatus.NetworkCounters> network = new ArrayList<>(rx.length);
        for (int i = 0; i < rx.length; i++) {
            network.add(new NodeStatus.NetworkCounters(settings.interfaces().get(i), rx[i], tx[i]));
        }
        return new NodeStatus(Instant.ofEpochMilli(passMillis), true, cores, load[0], load[1], load[2],
                new NodeStatus.CpuTimes(cpu[USER], cpu[NICE], cpu[SYSTEM], cpu[IDLE], cpu[IOWAIT], cpu[IRQ],
                        cpu[SOFTIRQ], cpu[STEAL]),
                cpuBusy, settings.memoryBytes(), memoryAvailable, 0, 0,
                new NodeStatus.Filesystem("/", "simulated0", "simulated", settings.diskBytes(), diskFree, diskFree),
                bootMillis / 1000.0, (passMillis - bootMillis) / 1000.0, network);
    }

    /** Writes every record (the slivers' counters change at every pass but are only written here). */
    public void close() {
        if (closed) {
            return;
        }
        if (records != null) {
            if (passedSinceCheckpoint) {
                for (SliverModel s : ordered()) {
                    queueWrite(s);
                }
            }
            commit();
            writeNode();
        }
        closed = true;
    }

    // ---- failure injection

    private enum InjectionKind { OOM_KILL, CRASH, FORK_LIMIT }

    private record Injection(InjectionKind kind, String sliver, String program, int exitCode) {
    }

    public void injectOomKill(String sliver) {
        inject(new Injection(InjectionKind.OOM_KILL, known(sliver), null, 137));
    }

    public void injectProgramCrash(String sliver, String program, int exitCode) {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("an exit code is in [0, 255], was " + exitCode);
        }
        inject(new Injection(InjectionKind.CRASH, known(sliver), program, exitCode));
    }

    public void injectForkLimit(String sliver) {
        inject(new Injection(InjectionKind.FORK_LIMIT, known(sliver), null, 0));
    }

    private void inject(Injection injection) {
        if (closed) {
            throw closedException();
        }
        injections.add(injection);
    }

    private String known(String sliver) {
        SliverSpec.requireValidName(sliver);
        if (!byName.containsKey(sliver)) {
            throw unknown(sliver);
        }
        return sliver;
    }

    private void applyInjections(long now) {
        Injection i;
        while ((i = injections.poll()) != null) {
            SliverModel s = byName.get(i.sliver());
            if (s == null) {
                LOG.debug("simulation: dropped an injected {} for sliver '{}', destroyed since", i.kind(), i.sliver());
                continue;
            }
            accrue(s, now);
            switch (i.kind()) {
                case OOM_KILL -> {
                    if (s.running > 0) {
                        oomKill(s, now, "injected failure");
                    }
                }
                case CRASH -> {
                    ProgramModel p = i.program() == null ? s.newestRunning() : s.program(i.program());
                    if (p != null && p.running()) {
                        end(s, p, i.exitCode(), now);
                    }
                }
                case FORK_LIMIT -> {
                    if (s.running > 0) {
                        if (s.processLimit != Integer.MAX_VALUE) {
                            s.processes = s.processLimit;
                        }
                        outbox.add(VmmEvent.limitExceeded(s.name, Instant.ofEpochMilli(now), Limit.PROCESSES,
                                "fork refused at the process limit (injected failure, simulated)"));
                    }
                }
            }
        }
    }

    // ---- the model

    /** Counters of one sliver up to {@code now}, at its held rates. */
    private void accrue(SliverModel s, long now) {
        long from = s.accruedMillis;
        if (now <= from) {
            return;
        }
        s.accruedMillis = now;
        double alloc = s.allocCores;
        if (alloc <= 0) {
            return;
        }
        double cpuSeconds = alloc * ((now - from) / 1000.0);
        s.cpuSeconds += cpuSeconds;
        pendingUser += cpuSeconds * (1 - s.systemFraction);
        pendingSystem += cpuSeconds * s.systemFraction;
        long received = (long) (cpuSeconds * s.rxBytesPerCpuSecond);
        long sent = (long) (cpuSeconds * s.txBytesPerCpuSecond);
        s.rxBytes += received;
        s.txBytes += sent;
        pendingRx += received;
        pendingTx += sent;
        long room = Math.min(s.diskQuota - s.diskBytes, settings.diskBytes() - systemDiskBytes - diskUsed);
        long written = Math.max(0, Math.min((long) (cpuSeconds * s.diskBytesPerCpuSecond), room));
        s.diskBytes += written;
        diskUsed += written;
        pendingDisk += written;
    }

    /** The node's counters and load averages up to {@code now}, from what the slivers accrued. */
    private void account(long now) {
        double dt = (now - passMillis) / 1000.0;
        double capacitySeconds = cores * dt;
        // The slivers' CPU fits the cores (their allocations never sum above them); the
        // background gets what they leave. Only a node re-opened with fewer cores scales both.
        double user = pendingUser;
        double system = pendingSystem;
        if (user + system > capacitySeconds) {
            double f = capacitySeconds / (user + system);
            user *= f;
            system *= f;
        }
        long bgRx = (long) (BG_RX * dt);
        long bgTx = (long) (BG_TX * dt);
        double bgUser = BG_USER * dt;
        double bgSystem = BG_SYSTEM * dt;
        double irq = BG_IRQ * dt;
        double softirq = (pendingRx + pendingTx + (double) (bgRx + bgTx) * rx.length) * SOFTIRQ_PER_BYTE;
        double background = bgUser + bgSystem + irq + softirq;
        double room = Math.max(0, capacitySeconds - user - system);
        if (background > room) {
            double f = room / background;
            bgUser *= f;
            bgSystem *= f;
            irq *= f;
            softirq *= f;
        }
        user += bgUser;
        system += bgSystem;
        double busy = Math.min(capacitySeconds, user + system + irq + softirq);
        double free = capacitySeconds - busy;
        double iowait = Math.min(free / 2, pendingDisk / DISK_BYTES_PER_SECOND);
        cpu[USER] += user;
        cpu[SYSTEM] += system;
        cpu[IRQ] += irq;
        cpu[SOFTIRQ] += softirq;
        cpu[IOWAIT] += iowait;
        cpu[IDLE] += free - iowait;
        cpuBusy = busy / capacitySeconds;
        for (int i = 0; i < rx.length; i++) {
            rx[i] += bgRx + (i == 0 ? pendingRx : 0);
            tx[i] += bgTx + (i == 0 ? pendingTx : 0);
        }
        // Runnable tasks: what the slivers want within their quotas, waiting or not, as the kernel counts.
        double runnable = sumDemand + BG_RUNNABLE;
        for (int i = 0; i < load.length; i++) {
            double e = StrictMath.exp(-dt / LOAD_SECONDS[i]);
            load[i] = load[i] * e + runnable * (1 - e);
        }
        pendingUser = 0;
        pendingSystem = 0;
        pendingRx = 0;
        pendingTx = 0;
        pendingDisk = 0;
    }

    /** One sliver's levels and demand at {@code now}, with the failures they cause. */
    private void evolve(SliverModel s, long now) {
        if (s.running == 0) {
            s.evolvedMillis = now;
            return;
        }
        double dt = (now - s.evolvedMillis) / 1000.0;
        if (dt <= 0) {
            return;
        }
        s.evolvedMillis = now;
        if (s.inBurst) {
            if (s.next() < -StrictMath.expm1(-dt / s.burstMeanSeconds)) {
                s.inBurst = false;
            }
        } else if (s.next() < -StrictMath.expm1(-dt * s.burstsPerSecond)) {
            s.inBurst = true;
        }
        double demand = s.curve(now) * (1 + NOISE * s.gauss()) + (s.inBurst ? s.burstCores : 0);
        setDemand(s, Math.min(Math.max(0, demand) * Math.sqrt(s.running), s.quotaCores));

        double target = s.memoryPerProgram * s.running * (s.inBurst ? 1.3 : 1.0);
        double k = -StrictMath.expm1(-dt / MEMORY_REVERSION_SECONDS);
        double memory = s.memoryBytes + k * (target - s.memoryBytes)
                + MEMORY_SPREAD * target * Math.sqrt(Math.min(dt, 3600) / 60) * s.gauss();
        s.memoryBytes = (long) Math.max(0.05 * target, Math.min(2 * target, memory));

        int wanted = s.runningProcesses * (s.inBurst ? 2 : 1);
        if (wanted > s.processLimit) {
            s.processes = s.processLimit;
            if (!s.overProcessLimit) {
                s.overProcessLimit = true;
                outbox.add(VmmEvent.limitExceeded(s.name, Instant.ofEpochMilli(now), Limit.PROCESSES,
                        "fork refused: the sliver is at its limit of " + s.processLimit + " processes (simulated)"));
            }
        } else {
            s.processes = wanted;
            s.overProcessLimit = false;
        }

        if (settings.oomRate() > 0 && s.next() < -StrictMath.expm1(-settings.oomRate() * dt / 3600)) {
            oomKill(s, now, "random failure, oomRate " + settings.oomRate() + "/h");
        }
        if (settings.crashRate() > 0 && s.next() < -StrictMath.expm1(-settings.crashRate() * dt / 3600)
                && s.running > 0) {
            end(s, s.newestRunning(), CRASH_CODES[(int) (s.next() * CRASH_CODES.length)], now);
        }
        while (s.running > 0 && s.memoryBytes > s.memoryLimit) {
            oomKill(s, now, "memory " + size(s.memoryBytes) + " over its limit of " + size(s.memoryLimit));
        }
        if (s.memoryBytes > s.memoryPeakBytes) {
            s.memoryPeakBytes = s.memoryBytes;
        }
        if (s.diskBytes > 0 && s.next() < -StrictMath.expm1(-dt / DISK_CLEANUP_SECONDS)) {
            long freed = s.diskBytes / 2;
            s.diskBytes -= freed;
            diskUsed -= freed;
        }
    }

    /**
     * The kernel's global OOM killer: while the slivers need more memory than the node has, kill
     * in the sliver using the most (the first by name on a tie). Allocates only when it kills.
     */
    private void relieveNodeMemory(SliverModel[] all, long now) {
        long pool = settings.memoryBytes() - systemMemoryBytes;
        long total = 0;
        for (SliverModel s : all) {
            total += s.memoryBytes;
        }
        if (total <= pool) {
            return;
        }
        PriorityQueue<SliverModel> largest = new PriorityQueue<>(
                Comparator.comparingLong((SliverModel s) -> s.memoryBytes).reversed().thenComparing(s -> s.name));
        for (SliverModel s : all) {
            if (s.running > 0) {
                largest.add(s);
            }
        }
        while (total > pool && !largest.isEmpty()) {
            SliverModel victim = largest.poll();
            long before = victim.memoryBytes;
            oomKill(victim, now, "the node is out of memory");
            total -= before - victim.memoryBytes;
            if (victim.running > 0) {
                largest.add(victim);
            }
        }
    }

    /** The CPU each sliver gets until the next pass: its demand, or a weighted fair share when the node is contended. */
    private void share(SliverModel[] all) {
        double total = 0;
        for (SliverModel s : all) {
            total += s.demandCores;
        }
        sumDemand = total;
        sumAlloc = fairShare(all, cores, total);
    }

    /**
     * Sets every sliver's allocation from its demand (already within its quota) and weight:
     * progressive filling, as a fair CPU scheduler would share contended cores. Slivers wanting
     * less than the fair level get what they want, the level rises with what they leave, and
     * the rest share it by weight. Returns the allocations' sum, at most {@code cores}.
     */
    static double fairShare(SliverModel[] all, int cores, double totalDemand) {
        if (totalDemand <= cores) {
            for (SliverModel s : all) {
                s.allocCores = s.demandCores;
            }
            return totalDemand;
        }
        double remaining = cores;
        double weights = 0;
        for (SliverModel s : all) {
            if (s.demandCores > 0) {
                weights += s.weight;
                s.allocCores = -1;
            } else {
                s.allocCores = 0;
            }
        }
        for (int round = 0; round < 64 && weights > 0; round++) {
            double level = remaining / weights;
            boolean satisfied = false;
            for (SliverModel s : all) {
                if (s.allocCores < 0 && s.demandCores <= level * s.weight) {
                    s.allocCores = s.demandCores;
                    remaining -= s.demandCores;
                    weights -= s.weight;
                    satisfied = true;
                }
            }
            if (!satisfied) {
                break;
            }
        }
        double level = weights > 0 ? Math.max(0, remaining) / weights : 0;
        double sum = 0;
        for (SliverModel s : all) {
            if (s.allocCores < 0) {
                s.allocCores = Math.min(s.demandCores, level * s.weight);
            }
            sum += s.allocCores;
        }
        return sum;
    }

    private void oomKill(SliverModel s, long now, String why) {
        ProgramModel victim = s.newestRunning();
        if (victim == null) {
            return;
        }
        s.oomKills++;
        outbox.add(VmmEvent.limitExceeded(s.name, Instant.ofEpochMilli(now), Limit.MEMORY,
                "OOM kill of program " + victim.name() + ": " + why + " (simulated)"));
        end(s, victim, 137, now);
    }

    private void endAll(SliverModel s, int exitCode) {
        long now = now();
        accrue(s, now);
        endRunning(s, exitCode, now);
        commit();
    }

    private void endRunning(SliverModel s, int exitCode, long now) {
        for (ProgramModel p : s.programs()) {
            if (p.running()) {
                end(s, p, exitCode, now);
            }
        }
    }

    /** A program ends: the sliver gives back its share of memory, processes and CPU. */
    private void end(SliverModel s, ProgramModel p, int exitCode, long now) {
        p.exitCode = exitCode;
        p.endedMillis = now;
        int before = s.running;
        s.running--;
        s.runningProcesses -= p.processes;
        if (s.running == 0) {
            s.memoryBytes = 0;
            s.processes = 0;
            s.inBurst = false;
            s.overProcessLimit = false;
            setDemand(s, 0);
            setAlloc(s, 0);
        } else {
            s.memoryBytes -= s.memoryBytes / before;
            s.processes = Math.min(s.processes, s.runningProcesses * (s.inBurst ? 2 : 1));
            double f = Math.sqrt((double) s.running / before);
            setDemand(s, s.demandCores * f);
            setAlloc(s, s.allocCores * f);
        }
        outbox.add(VmmEvent.programExited(s.name, Instant.ofEpochMilli(now), p.name(), exitCode));
        queueWrite(s);
    }

    private void setDemand(SliverModel s, double demand) {
        sumDemand += demand - s.demandCores;
        s.demandCores = demand;
    }

    private void setAlloc(SliverModel s, double alloc) {
        sumAlloc += alloc - s.allocCores;
        s.allocCores = alloc;
    }

    // ---- records and events

    private void queueWrite(SliverModel s) {
        if (!s.writeQueued) {
            s.writeQueued = true;
            toWrite.add(s);
        }
    }

    /**
     * Ends an operation: writes the records it changed, then sends its events, then records
     * that the programs' exits were reported, so a restart neither loses nor repeats them.
     */
    private void commit() {
        List<SliverModel> written = toWrite.isEmpty() ? List.of() : new ArrayList<>(toWrite);
        toWrite.clear();
        for (SliverModel s : written) {
            s.writeQueued = false;
            write(s);
        }
        if (!outbox.isEmpty()) {
            List<VmmEvent> events = new ArrayList<>(outbox);
            outbox.clear();
            for (VmmEvent e : events) {
                try {
                    sink.accept(e);
                } catch (RuntimeException failure) {
                    LOG.warn("simulation: the event sink failed on {}", e, failure);
                }
            }
        }
        for (SliverModel s : written) {
            boolean reported = false;
            for (ProgramModel p : s.programs()) {
                if (!p.running() && !p.exitReported) {
                    p.exitReported = true;
                    reported = true;
                }
            }
            if (reported) {
                write(s);
            }
        }
    }

    private void write(SliverModel s) {
        if (records == null || byName.get(s.name) != s) {
            return;
        }
        try {
            records.writeSliver(s);
        } catch (IOException e) {
            LOG.warn("simulation: cannot write the record of sliver '{}'", s.name, e);
        }
    }

    private void writeNode() {
        List<Records.InterfaceRecord> network = new ArrayList<>(rx.length);
        for (int i = 0; i < rx.length; i++) {
            network.add(new Records.InterfaceRecord(settings.interfaces().get(i), rx[i], tx[i]));
        }
        try {
            records.writeNode(new Records.NodeRecord(Records.LABEL, Records.FORMAT, settings.seed(), bootMillis,
                    nowMillis, passMillis, cpu.clone(), load.clone(), network,
                    new double[] {pendingUser, pendingSystem, pendingRx, pendingTx, pendingDisk}, cpuBusy));
        } catch (IOException e) {
            LOG.warn("simulation: cannot write the node record under {}", stateDirectory, e);
        }
    }

    /** A new node: booted a seeded while ago (an hour to 30 days), its counters what its background made since. */
    private void initNode() {
        long nodeSeed = Rng.derive(settings.seed(), "node");
        double up = 3600 + Rng.at(nodeSeed, 0) * (30 * 86_400.0 - 3600);
        bootMillis = nowMillis - (long) (up * 1000);
        passMillis = nowMillis;
        cpu[USER] = BG_USER * up;
        cpu[SYSTEM] = BG_SYSTEM * up;
        cpu[IRQ] = BG_IRQ * up;
        cpu[SOFTIRQ] = (BG_RX + BG_TX) * up * rx.length * SOFTIRQ_PER_BYTE;
        cpu[IDLE] = cores * up - cpu[USER] - cpu[SYSTEM] - cpu[IRQ] - cpu[SOFTIRQ];
        Arrays.fill(load, BG_RUNNABLE);
        for (int i = 0; i < rx.length; i++) {
            rx[i] = (long) (BG_RX * up);
            tx[i] = (long) (BG_TX * up);
        }
    }

    private void restoreNode(Records.NodeRecord r) {
        if (r.cpu() == null || r.cpu().length != cpu.length || r.load() == null || r.load().length != load.length
                || r.pending() == null || r.pending().length != 5) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                    "simulation: the node record under " + stateDirectory + " is not valid");
        }
        bootMillis = r.bootMillis();
        nowMillis = Math.max(nowMillis, r.nowMillis());
        passMillis = r.passMillis();
        System.arraycopy(r.cpu(), 0, cpu, 0, cpu.length);
        System.arraycopy(r.load(), 0, load, 0, load.length);
        pendingUser = r.pending()[0];
        pendingSystem = r.pending()[1];
        pendingRx = (long) r.pending()[2];
        pendingTx = (long) r.pending()[3];
        pendingDisk = (long) r.pending()[4];
        cpuBusy = r.cpuBusy();
        double up = (passMillis - bootMillis) / 1000.0;
        for (int i = 0; i < rx.length; i++) {
            String device = settings.interfaces().get(i);
            Records.InterfaceRecord saved = r.network().stream().filter(n -> n.device().equals(device)).findFirst()
                    .orElse(null);
            rx[i] = saved != null ? saved.receiveBytes() : (long) (BG_RX * up);
            tx[i] = saved != null ? saved.transmitBytes() : (long) (BG_TX * up);
        }
    }

    /** Re-attaches to every recorded sliver; a directory without a readable record is an orphan, left alone. */
    private void loadSlivers() {
        for (Path dir : records.sliverDirectories()) {
            String name = dir.getFileName().toString();
            try {
                Optional<Records.SliverRecord> record = records.readSliver(dir);
                if (record.isEmpty()) {
                    orphan(name, "directory " + dir + " has no record (simulated backend); left alone");
                    continue;
                }
                if (!record.get().name().equals(name)) {
                    orphan(name, "the record in " + dir + " names sliver '" + record.get().name() + "'; left alone");
                    continue;
                }
                SliverSpec.requireValidName(name);
                SliverModel s = Records.fromRecord(record.get(), cores);
                byName.put(name, s);
                diskUsed += s.diskBytes;
                sumDemand += s.demandCores;
                sumAlloc += s.allocCores;
                for (ProgramModel p : s.programs()) {
                    if (!p.running() && !p.exitReported) {
                        // Ended, but the JVM stopped before the event was recorded as sent.
                        outbox.add(VmmEvent.programExited(name, Instant.ofEpochMilli(p.endedMillis), p.name(),
                                p.exitCode));
                        queueWrite(s);
                    }
                }
            } catch (IOException | RuntimeException e) {
                orphan(name, "the record in " + dir + " cannot be read (" + e.getMessage() + "); left alone");
            }
        }
        orderStale = true;
    }

    private void orphan(String name, String message) {
        LOG.warn("simulation: orphan '{}': {}", name, message);
        outbox.add(VmmEvent.orphanFound(name, Instant.ofEpochMilli(nowMillis), "SIMULATION: " + message));
    }

    // ---- helpers

    private long now() {
        long c = clock.millis();
        if (c > nowMillis) {
            nowMillis = c;
        }
        return nowMillis;
    }

    private SliverModel[] ordered() {
        if (orderStale) {
            SliverModel[] all = byName.values().toArray(new SliverModel[0]);
            Arrays.sort(all, Comparator.comparing(s -> s.name));
            ordered = all;
            orderStale = false;
        }
        return ordered;
    }

    private SliverModel require(String sliver) {
        SliverModel s = sliver == null ? null : byName.get(sliver);
        if (s == null) {
            SliverSpec.requireValidName(sliver);
            throw unknown(sliver);
        }
        return s;
    }

    private static VmmException unknown(String sliver) {
        return new VmmException(VmmException.Reason.UNKNOWN_SLIVER, "no sliver '" + sliver + "'");
    }

    private void checkCapacity(Limits limits) {
        if (limits.cpuCores() != null && limits.cpuCores() > cores) {
            throw new VmmException(VmmException.Reason.INVALID_LIMIT, "cpu " + limits.cpuCores()
                    + " cores is beyond this simulated node's " + cores + " cores");
        }
        if (limits.memoryBytes() != null && limits.memoryBytes() > settings.memoryBytes()) {
            throw new VmmException(VmmException.Reason.INVALID_LIMIT, "memory " + limits.memoryBytes()
                    + " bytes is beyond this simulated node's " + settings.memoryBytes() + " bytes");
        }
        if (limits.diskBytes() != null && limits.diskBytes() > settings.diskBytes()) {
            throw new VmmException(VmmException.Reason.INVALID_LIMIT, "disk quota " + limits.diskBytes()
                    + " bytes is beyond this simulated node's " + settings.diskBytes() + " bytes");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private static VmmException closedException() {
        return new VmmException(VmmException.Reason.BACKEND_FAILURE, "the simulated backend is closed");
    }

    private SliverInfo info(SliverModel s) {
        Map<Limit, Enforcement> enforcement = new EnumMap<>(Limit.class);
        for (Limit limit : s.limits.asMap().keySet()) {
            enforcement.put(limit, Enforcement.ENFORCED);
        }
        List<ProgramInfo> programs = new ArrayList<>(s.programs().size());
        for (ProgramModel p : s.programs()) {
            programs.add(programInfo(s, p));
        }
        return new SliverInfo(s.name, s.limits, enforcement, Records.home(stateDirectory, s.name),
                Instant.ofEpochMilli(s.createdMillis), programs);
    }

    private ProgramInfo programInfo(SliverModel s, ProgramModel p) {
        Path dir = Records.programDirectory(stateDirectory, s.name, p.name());
        return new ProgramInfo(p.name(), -1, p.command, Instant.ofEpochMilli(p.startedMillis), dir.resolve("stdout"),
                dir.resolve("stderr"), p.running() ? null : p.exitCode);
    }

    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
