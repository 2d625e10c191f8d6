package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.VmmException;

/**
 * What the node has to share, read from the machine each time (memory can be hot-plugged):
 * the CPUs this JVM may use, MemTotal, the size of the filesystem holding the state
 * directory, and the interfaces in /sys/class/net. Limits beyond it are refused.
 */
final class CapacityReader {

    private final Path proc;
    private final Path sysClassNet;
    private final Path stateDirectory;

    CapacityReader(Path proc, Path sysClassNet, Path stateDirectory) {
        this.proc = proc;
        this.sysClassNet = sysClassNet;
        this.stateDirectory = stateDirectory;
    }

    NodeCapacity read() {
        try {
            return new NodeCapacity(Runtime.getRuntime().availableProcessors(), memTotal(),
                    Files.getFileStore(stateDirectory).getTotalSpace(), interfaces());
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot read the node's capacity: " + e, e);
        }
    }

    /**
     * @throws VmmException {@code INVALID_LIMIT} for a limit beyond the node
     */
    void check(Limits limits) {
        NodeCapacity capacity = read();
        if (limits.cpuCores() != null && limits.cpuCores() > capacity.cores()) {
            throw invalid("a CPU limit of " + limits.cpuCores() + " cores is beyond this node's " + capacity.cores());
        }
        if (limits.memoryBytes() != null && limits.memoryBytes() > capacity.memoryBytes()) {
            throw invalid("a memory limit of " + limits.memoryBytes() + " bytes is beyond this node's "
                    + capacity.memoryBytes());
        }
        if (limits.diskBytes() != null && limits.diskBytes() > capacity.diskBytes()) {
            throw invalid("a disk quota of " + limits.diskBytes() + " bytes is beyond this node's "
                    + capacity.diskBytes());
        }
        long pidMax = pidMax();
        if (limits.maxProcesses() != null && limits.maxProcesses() > pidMax) {
            throw invalid("a limit of " + limits.maxProcesses() + " processes is beyond this kernel's pid_max "
                    + pidMax);
        }
    }

    private long memTotal() throws IOException {
        try (Stream<String> lines = ProcFiles.read(proc.resolve("meminfo")).lines()) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .orElseThrow(() -> new IOException("no MemTotal in " + proc + "/meminfo"));
        }
    }

    private long pidMax() {
        try {
            return Long.parseLong(ProcFiles.read(proc.resolve("sys/kernel/pid_max")).trim());
        } catch (IOException | NumberFormatException e) {
            return Limits.MAX_PROCESSES;
        }
    }

    private List<String> interfaces() throws IOException {
        if (!Files.isDirectory(sysClassNet)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(sysClassNet)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static VmmException invalid(String message) {
        return new VmmException(VmmException.Reason.INVALID_LIMIT, message);
    }
}
