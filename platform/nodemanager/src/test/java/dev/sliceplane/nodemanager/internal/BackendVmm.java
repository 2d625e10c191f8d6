package dev.sliceplane.nodemanager.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import dev.sliceplane.vmm.process.internal.ProcessBackendFactory;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;
import dev.sliceplane.vmm.spi.VmmBackendFactory;

/**
 * The real process backend (real sessions, files and /proc) as a {@link Vmm}, serialised as the
 * VMM core does, without its sampler. {@link #close} destroys every sliver left, so no process
 * outlives a test.
 */
class BackendVmm implements Vmm, AutoCloseable {

    private final Path state;
    private final VmmBackendFactory factory;
    private final Map<String, String> settings;
    private VmmBackend backend;

    BackendVmm(Path state) {
        this(state, new ProcessBackendFactory(), Map.of());
    }

    /** Another backend (the benchmarks: simulated, linux) with its settings. */
    BackendVmm(Path state, VmmBackendFactory factory, Map<String, String> settings) {
        this.state = state;
        this.factory = factory;
        this.settings = settings;
        this.backend = open();
    }

    private VmmBackend open() {
        return factory.open(new BackendContext(state, settings, e -> { }, Clock.systemUTC()));
    }

    /** Closes and re-opens the backend on the same state, as a restarted node would. */
    synchronized void restart() {
        backend.close();
        backend = open();
    }

    @Override
    public synchronized BackendInfo backend() {
        return backend.info();
    }

    @Override
    public synchronized NodeCapacity capacity() {
        return backend.capacity();
    }

    @Override
    public synchronized SliverInfo create(SliverSpec spec) {
        return backend.create(spec);
    }

    @Override
    public synchronized ProgramInfo launch(String sliver, ProgramSpec program) {
        return backend.launch(sliver, program);
    }

    @Override
    public synchronized void stop(String sliver, Duration grace) {
        backend.stop(sliver, grace);
    }

    @Override
    public synchronized void kill(String sliver) {
        backend.kill(sliver);
    }

    @Override
    public synchronized SliverInfo resize(String sliver, Limits limits) {
        return backend.resize(sliver, limits);
    }

    @Override
    public synchronized void destroy(String sliver) {
        backend.destroy(sliver);
    }

    @Override
    public synchronized List<SliverInfo> list() {
        backend.usage();
        return backend.list();
    }

    @Override
    public synchronized Optional<SliverInfo> find(String sliver) {
        backend.usage();
        return backend.find(sliver);
    }

    @Override
    public VmmSnapshot sample() {
        throw new UnsupportedOperationException("not sampled in these tests");
    }

    @Override
    public Optional<VmmSnapshot> lastSample() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        for (SliverInfo sliver : backend.list()) {
            backend.destroy(sliver.name());
        }
        backend.close();
    }
}
