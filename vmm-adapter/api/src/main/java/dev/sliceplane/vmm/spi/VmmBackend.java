package dev.sliceplane.vmm.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;

/**
 * One open backend. The VMM adapter serialises calls that change slivers with {@link #usage()},
 * so a sample sees a consistent set of slivers; a backend need not guard against that itself.
 * Methods have the meaning of the same-named methods of {@link dev.sliceplane.vmm.api.Vmm} and
 * report events ({@code CREATED}, {@code DESTROYED}, {@code LIMIT_EXCEEDED},
 * {@code PROGRAM_EXITED}) through the context's sink as they observe them.
 */
@ConsumerType
public interface VmmBackend extends AutoCloseable {

    BackendInfo info();

    NodeCapacity capacity();

    SliverInfo create(SliverSpec spec);

    ProgramInfo launch(String sliver, ProgramSpec program);

    void stop(String sliver, Duration grace);

    void kill(String sliver);

    SliverInfo resize(String sliver, Limits limits);

    void destroy(String sliver);

    List<SliverInfo> list();

    Optional<SliverInfo> find(String sliver);

    /**
     * One pass over every sliver: their usage now. Events noticed on the way (a program's
     * exit, an OOM kill, a refused fork) are reported through the sink before this returns.
     */
    List<SliverUsage> usage();

    /**
     * The node's status, for a backend that models its own node (a simulation); empty means
     * the adapter reads the real machine's /proc and /sys.
     */
    default Optional<NodeStatus> nodeStatus() {
        return Optional.empty();
    }

    /** Releases the backend's own resources. Never stops or removes a sliver. */
    @Override
    void close();
}
