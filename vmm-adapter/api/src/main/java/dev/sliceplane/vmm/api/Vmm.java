package dev.sliceplane.vmm.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's VMM: creates, limits, meters and destroys slivers. Registered as an OSGi service
 * by the VMM adapter; usable as plain Java too. Slivers outlive the process that created them:
 * a restarted VMM re-attaches to the slivers it owns.
 *
 * <p>Every method throws {@link VmmException} with a {@link VmmException.Reason} on bad input
 * or failure; a failed creation leaves nothing behind.
 */
@ProviderType
public interface Vmm {

    /** Which backend runs and what it enforces. */
    BackendInfo backend();

    /** What the node has to share. */
    NodeCapacity capacity();

    /** Creates an empty sliver with the given limits. */
    SliverInfo create(SliverSpec spec);

    /**
     * Launches a program in a sliver; its output goes to files under the sliver's home.
     *
     * @throws VmmException {@code LAUNCH_FAILED} when the command cannot start
     */
    ProgramInfo launch(String sliver, ProgramSpec program);

    /** Asks every process in the sliver to stop (SIGTERM), then kills what is left after the grace. */
    void stop(String sliver, Duration grace);

    /** Kills every process in the sliver at once; the sliver itself stays. */
    void kill(String sliver);

    /** Changes a sliver's limits in place, keeping its processes. */
    SliverInfo resize(String sliver, Limits limits);

    /** Kills every process and removes the sliver and its home; nothing of it is left. */
    void destroy(String sliver);

    /** Every sliver on the node. */
    List<SliverInfo> list();

    Optional<SliverInfo> find(String sliver);

    /** Takes a sample now (also delivered to the status listeners). */
    VmmSnapshot sample();

    /** The most recent sample, if one was taken. */
    Optional<VmmSnapshot> lastSample();
}
