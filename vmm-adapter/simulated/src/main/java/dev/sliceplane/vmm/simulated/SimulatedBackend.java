package dev.sliceplane.vmm.simulated;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.simulated.internal.SimulatedNode;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;

/**
 * A simulated node behind the VMM backend contract, plus failure injection. Made by
 * {@link SimulatedBackendFactory#open(BackendContext)}; see the module's README for the model.
 *
 * <p><b>Model time</b> is the context's clock: each {@link #usage()} pass advances the model to
 * the clock's time (a clock that went back is ignored), and every timestamp it reports comes from
 * it. With a {@link VirtualClock} the results depend only on the seed, the settings, the clock's
 * advances and the sequence of calls.
 *
 * <p><b>Threads</b>: the backend has none of its own; the caller drives it. Like every backend it
 * expects the VMM core to serialise its calls; the {@code inject…} methods alone may be called
 * from any thread, as they only queue the failure for the next {@link #usage()} pass.
 */
public final class SimulatedBackend implements VmmBackend {

    /** The backend's name, also its {@code VmmBackendFactory.NAME} service property. */
    public static final String NAME = "simulated";

    private final SimulatedNode node;

    SimulatedBackend(BackendContext context) {
        this.node = new SimulatedNode(context);
    }

    /** The settings the backend was opened with. */
    public SimulationSettings settings() {
        return node.settings();
    }

    /** The model's time: the latest reading of the context's clock. */
    public Instant modelTime() {
        return node.modelTime();
    }

    /** How many passes advanced the model since the backend was opened. */
    public long passes() {
        return node.passes();
    }

    /**
     * Makes the sliver's newest running program be OOM-killed at the next pass:
     * {@code LIMIT_EXCEEDED(MEMORY)}, then {@code PROGRAM_EXITED} with 137, and its share of memory
     * freed. Has no effect (and reports nothing) if nothing runs in the sliver by then.
     *
     * @throws dev.sliceplane.vmm.api.VmmException {@code UNKNOWN_SLIVER} or {@code INVALID_NAME}
     */
    public void injectOomKill(String sliver) {
        node.injectOomKill(sliver);
    }

    /**
     * Makes the sliver's newest running program exit with {@code exitCode} at the next pass
     * ({@code PROGRAM_EXITED}). Has no effect if nothing runs in the sliver by then.
     *
     * @param exitCode in [0, 255]; 139 is a segmentation fault (128 + SIGSEGV)
     */
    public void injectProgramCrash(String sliver, int exitCode) {
        node.injectProgramCrash(sliver, null, exitCode);
    }

    /**
     * Makes one program ({@code p1}, {@code p2}, …) exit with {@code exitCode} at the next pass.
     * Has no effect if that program is not running by then.
     */
    public void injectProgramCrash(String sliver, String programId, int exitCode) {
        node.injectProgramCrash(sliver, Objects.requireNonNull(programId, "programId"), exitCode);
    }

    /**
     * Makes a fork in the sliver be refused at the next pass: {@code LIMIT_EXCEEDED(PROCESSES)},
     * and the sliver's process count at its limit if it has one. Has no effect if nothing runs.
     */
    public void injectForkLimit(String sliver) {
        node.injectForkLimit(sliver);
    }

    @Override
    public BackendInfo info() {
        return node.info();
    }

    @Override
    public NodeCapacity capacity() {
        return node.capacity();
    }

    @Override
    public SliverInfo create(SliverSpec spec) {
        return node.create(spec);
    }

    @Override
    public ProgramInfo launch(String sliver, ProgramSpec program) {
        return node.launch(sliver, program);
    }

    /** Every running program honours SIGTERM at once (exit code 143); nothing waits for the grace. */
    @Override
    public void stop(String sliver, Duration grace) {
        node.stop(sliver, grace);
    }

    @Override
    public void kill(String sliver) {
        node.kill(sliver);
    }

    @Override
    public SliverInfo resize(String sliver, Limits limits) {
        return node.resize(sliver, limits);
    }

    @Override
    public void destroy(String sliver) {
        node.destroy(sliver);
    }

    @Override
    public List<SliverInfo> list() {
        return node.list();
    }

    @Override
    public Optional<SliverInfo> find(String sliver) {
        return node.find(sliver);
    }

    /** Advances the model to the clock's time and returns every sliver's usage, by name. */
    @Override
    public List<SliverUsage> usage() {
        return node.usage();
    }

    /** The simulated node's status as of the last {@link #usage()} pass; always {@code simulated}. */
    @Override
    public Optional<NodeStatus> nodeStatus() {
        return Optional.of(node.nodeStatus());
    }

    /** Writes the model's state (when persisting) so a re-opened backend continues from here. */
    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return "SimulatedBackend[" + node.info().detail() + "]";
    }
}
