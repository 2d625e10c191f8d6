package dev.sliceplane.nodemanager.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * A VMM in front of the real one that "kills the process" at a chosen step: it throws
 * {@link Crash}, an Error the node manager does not catch, so it stops there with its journal as a
 * kill -9 would leave it (every entry it wrote was forced before the next step).
 */
class CrashingVmm implements Vmm {

    /** Where the process dies. */
    enum Step {
        NEVER, BEFORE_CREATE, AFTER_CREATE, BEFORE_RESIZE, BEFORE_DESTROY
    }

    /** The simulated kill. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(Step step) {
            super("simulated crash " + step);
        }
    }

    private final Vmm real;
    private final Step step;
    private final String backendName;

    CrashingVmm(Vmm real, Step step) {
        this(real, step, null);
    }

    /** Also claims to be backend {@code backendName} (null: the real one's name). */
    CrashingVmm(Vmm real, Step step, String backendName) {
        this.real = real;
        this.step = step;
        this.backendName = backendName;
    }

    @Override
    public SliverInfo create(SliverSpec spec) {
        if (step == Step.BEFORE_CREATE) {
            throw new Crash(step);
        }
        real.create(spec);
        if (step == Step.AFTER_CREATE) {
            throw new Crash(step);
        }
        return real.find(spec.name()).orElseThrow();
    }

    @Override
    public SliverInfo resize(String sliver, Limits limits) {
        if (step == Step.BEFORE_RESIZE) {
            throw new Crash(step);
        }
        return real.resize(sliver, limits);
    }

    @Override
    public void destroy(String sliver) {
        if (step == Step.BEFORE_DESTROY) {
            throw new Crash(step);
        }
        real.destroy(sliver);
    }

    @Override
    public BackendInfo backend() {
        BackendInfo info = real.backend();
        return backendName == null ? info
                : new BackendInfo(backendName, info.detail(), info.simulated(), info.enforcement());
    }

    @Override
    public NodeCapacity capacity() {
        return real.capacity();
    }

    @Override
    public ProgramInfo launch(String sliver, ProgramSpec program) {
        return real.launch(sliver, program);
    }

    @Override
    public void stop(String sliver, Duration grace) {
        real.stop(sliver, grace);
    }

    @Override
    public void kill(String sliver) {
        real.kill(sliver);
    }

    @Override
    public List<SliverInfo> list() {
        return real.list();
    }

    @Override
    public Optional<SliverInfo> find(String sliver) {
        return real.find(sliver);
    }

    @Override
    public VmmSnapshot sample() {
        return real.sample();
    }

    @Override
    public Optional<VmmSnapshot> lastSample() {
        return real.lastSample();
    }
}
