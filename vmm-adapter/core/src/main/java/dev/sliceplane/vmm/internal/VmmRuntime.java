package dev.sliceplane.vmm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * The {@link Vmm} on top of one open backend: serialises changes with sampling, so every
 * snapshot sees one consistent set of slivers; samples on a schedule; hands samples and the
 * backend's events to the status hooks and to an extra sink (Event Admin in the framework).
 * Plain Java; the OSGi component only wires it.
 */
public final class VmmRuntime implements Vmm, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmmRuntime.class);

    private final VmmBackend backend;
    private final StatusHooks hooks;
    private final Supplier<NodeStatus> machineStatus;
    private final Clock clock;
    /** Guards the backend: every change and every usage pass hold it. */
    private final ReentrantLock backendLock = new ReentrantLock();
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService sampler;
    private volatile VmmSnapshot lastSample;
    private volatile String lastSampleError;

    /**
     * @param backend       the open backend; closed with this runtime
     * @param hooks         where samples and events go
     * @param machineStatus reads the real node's status, for backends that do not model one
     * @param samplePeriod  how often to sample; {@link Duration#ZERO} for never (callers sample)
     */
    public VmmRuntime(VmmBackend backend, StatusHooks hooks, Supplier<NodeStatus> machineStatus, Clock clock,
                      Duration samplePeriod) {
        this.backend = backend;
        this.hooks = hooks;
        this.machineStatus = machineStatus;
        this.clock = clock;
        if (samplePeriod.isZero()) {
            this.sampler = null;
        } else {
            this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "sliceplane-vmm-sampler");
                thread.setDaemon(true);
                return thread;
            });
            long millis = samplePeriod.toMillis();
            sampler.scheduleAtFixedRate(this::sampleQuietly, 0, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** The sink a backend reports its events to: the hooks, then the extra sink. */
    public static Consumer<VmmEvent> eventSink(StatusHooks hooks, Consumer<VmmEvent> extra) {
        return event -> {
            hooks.publish(event);
            extra.accept(event);
        };
    }

    /** Reads this machine's status; failures are unchecked so a sample fails as a whole. */
    public static Supplier<NodeStatus> machineStatus(ProcNodeStatusReader reader) {
        return () -> {
            try {
                return reader.read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the node's status: " + e.getMessage(), e);
            }
        };
    }

    @Override
    public BackendInfo backend() {
        return backend.info();
    }

    @Override
    public NodeCapacity capacity() {
        return backend.capacity();
    }

    @Override
    public SliverInfo create(SliverSpec spec) {
        return locked(() -> backend.create(spec));
    }

    @Override
    public ProgramInfo launch(String sliver, ProgramSpec program) {
        SliverSpec.requireValidName(sliver);
        return locked(() -> backend.launch(sliver, program));
    }

    @Override
    public void stop(String sliver, Duration grace) {
        SliverSpec.requireValidName(sliver);
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be zero or more, was " + grace);
        }
        locked(() -> {
            backend.stop(sliver, grace);
            return null;
        });
    }

    @Override
    public void kill(String sliver) {
        SliverSpec.requireValidName(sliver);
        locked(() -> {
            backend.kill(sliver);
            return null;
        });
    }

    @Override
    public SliverInfo resize(String sliver, Limits limits) {
        SliverSpec.requireValidName(sliver);
        return locked(() -> backend.resize(sliver, limits));
    }

    @Override
    public void destroy(String sliver) {
        SliverSpec.requireValidName(sliver);
        locked(() -> {
            backend.destroy(sliver);
            return null;
        });
    }

    @Override
    public List<SliverInfo> list() {
        return locked(backend::list);
    }

    @Override
    public Optional<SliverInfo> find(String sliver) {
        return locked(() -> backend.find(sliver));
    }

    @Override
    public VmmSnapshot sample() {
        VmmSnapshot snapshot = locked(() -> {
            List<SliverUsage> usage = backend.usage();
            NodeStatus node = backend.nodeStatus().orElseGet(machineStatus);
            BackendInfo info = backend.info();
            return new VmmSnapshot(sequence.incrementAndGet(), clock.instant(), info.name(), info.simulated(), node,
                    usage);
        });
        lastSample = snapshot;
        lastSampleError = null;
        hooks.publish(snapshot);
        return snapshot;
    }

    @Override
    public Optional<VmmSnapshot> lastSample() {
        return Optional.ofNullable(lastSample);
    }

    /** Why the last scheduled sample failed, or empty when it succeeded. */
    public Optional<String> lastSampleError() {
        return Optional.ofNullable(lastSampleError);
    }

    public List<StatusHooks.ListenerStats> listenerStats() {
        return hooks.stats();
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            if (lastSampleError == null) {
                LOG.warn("VMM sampling failed: {}", e.toString());
            }
            lastSampleError = e.toString();
        }
    }

    private <T> T locked(Supplier<T> action) {
        backendLock.lock();
        try {
            return action.get();
        } finally {
            backendLock.unlock();
        }
    }

    /** Stops sampling and closes the backend; the slivers keep running. */
    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        locked(() -> {
            backend.close();
            return null;
        });
    }
}
