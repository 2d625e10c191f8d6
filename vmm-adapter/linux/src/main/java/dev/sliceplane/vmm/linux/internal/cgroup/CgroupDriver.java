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

    /** Writes every limit; a {@code null} limit is written as "none" (the disk limit is ignored). */
    void apply(String sliver, Limits limits);

    /** The CPU, weight, memory and process limits as the kernel holds them ({@code null}: none). */
    Limits read(String sliver);

    /** The {@code cgroup.procs} files a process writes itself into to join the sliver. */
    List<Path> procsFiles(String sliver);

    /** The processes in the sliver now. */
    long[] processes(String sliver);

    CgroupSample sample(String sliver);

    /**
     * Sends SIGKILL to every process in the sliver, so that none can fork its way out of it
     * (cgroup.kill, or the freezer). Does not wait for them to be gone.
     */
    void killAll(String sliver);

    /** Removes the sliver's cgroups, retrying while killed processes are still leaving. */
    void remove(String sliver);
}
