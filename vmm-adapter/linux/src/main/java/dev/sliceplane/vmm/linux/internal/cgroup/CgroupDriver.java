package dev.sliceplane.vmm.linux.internal.cgroup;

import java.nio.file.Path;
import java.util.List;

import dev.sliceplane.vmm.api.Limits;

/**
 * What the backend needs from cgroups, whichever version the machine has. Sliver cgroups live
 * under one Sliceplane root; the backend never touches anything outside it. Failures are
 * {@code VmmException}s.
 */
public interface CgroupDriver {

    /** A sentence for an operator: the version, the hierarchies and the root. */
    String description();

    /** Makes the Sliceplane root and, on v2, enables cpu, memory and pids for the cgroups below it. */
    void prepareRoot();

    /** Names of the cgroups under the root. */
    List<String> sliverCgroups();

    boolean exists(String sliver);

    /** Makes the sliver's cgroup in every hierarchy; on failure removes what it made. */
    void create(String sliver);

    /**
     * Writes the limits (a {@code null} limit as "none"; the disk limit is ignored) and returns
     * them as the kernel now holds them (CPU in whole microseconds, memory in whole pages).
     *
     * @param fresh the cgroup was just made and holds the kernel's defaults, so only the limits
     *              that are set need writing (creation is the hot path)
     */
    Limits apply(String sliver, Limits limits, boolean fresh);

    /** The CPU, weight, memory and process limits as the kernel holds them ({@code null}: none). */
    Limits read(String sliver);

    /** The {@code cgroup.procs} files a process writes itself into to join the sliver. */
    List<Path> procsFiles(String sliver);

    /** The processes in the sliver now. */
    long[] processes(String sliver);

    /** The sliver's counters, to sample again and again; the caller closes them. */
    SliverCounters counters(String sliver);

    /**
     * Sends SIGKILL to every process in the sliver, so that none can fork its way out of it
     * (cgroup.kill, or the freezer). Does not wait for them to be gone.
     */
    void killAll(String sliver);

    /** Removes the sliver's cgroups, retrying while killed processes are still leaving. */
    void remove(String sliver);
}
