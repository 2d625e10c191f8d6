package dev.sliceplane.vmm.api;

import java.util.EnumMap;
import java.util.Map;

/**
 * The resource limits of a sliver. A {@code null} component means "no limit".
 *
 * @param cpuCores       hard CPU cap in cores, in (0, 4096]; 0.2 is a fifth of one core
 * @param cpuWeight      relative CPU weight in [1, 10000] (100 is the default weight)
 * @param memoryBytes    memory cap, at least 1 MiB
 * @param maxProcesses   cap on processes and threads, in [1, 4194304]
 * @param diskBytes      quota on bytes under the sliver's home, at least 0
 */
public record Limits(Double cpuCores, Integer cpuWeight, Long memoryBytes, Integer maxProcesses, Long diskBytes) {

    /** No limit of any kind. */
    public static final Limits NONE = new Limits(null, null, null, null, null);

    public static final long MIN_MEMORY_BYTES = 1L << 20;
    public static final int MAX_PROCESSES = 4_194_304;

    public Limits {
        if (cpuCores != null && !(cpuCores > 0 && cpuCores <= 4096)) {
            throw VmmException.invalidLimit("cpu must be in (0, 4096] cores, was " + cpuCores);
        }
        if (cpuWeight != null && (cpuWeight < 1 || cpuWeight > 10_000)) {
            throw VmmException.invalidLimit("cpu weight must be in [1, 10000], was " + cpuWeight);
        }
        if (memoryBytes != null && memoryBytes < MIN_MEMORY_BYTES) {
            throw VmmException.invalidLimit("memory must be at least 1 MiB, was " + memoryBytes + " bytes");
        }
        if (maxProcesses != null && (maxProcesses < 1 || maxProcesses > MAX_PROCESSES)) {
            throw VmmException.invalidLimit("processes must be in [1, " + MAX_PROCESSES + "], was " + maxProcesses);
        }
        if (diskBytes != null && diskBytes < 0) {
            throw VmmException.invalidLimit("disk quota must not be negative, was " + diskBytes);
        }
    }

    public Limits withCpuCores(Double cores) {
        return new Limits(cores, cpuWeight, memoryBytes, maxProcesses, diskBytes);
    }

    public Limits withCpuWeight(Integer weight) {
        return new Limits(cpuCores, weight, memoryBytes, maxProcesses, diskBytes);
    }

    public Limits withMemoryBytes(Long bytes) {
        return new Limits(cpuCores, cpuWeight, bytes, maxProcesses, diskBytes);
    }

    public Limits withMaxProcesses(Integer processes) {
        return new Limits(cpuCores, cpuWeight, memoryBytes, processes, diskBytes);
    }

    public Limits withDiskBytes(Long bytes) {
        return new Limits(cpuCores, cpuWeight, memoryBytes, maxProcesses, bytes);
    }

    /** The limits that are set, by kind. */
    public Map<Limit, Number> asMap() {
        Map<Limit, Number> set = new EnumMap<>(Limit.class);
        putIfSet(set, Limit.CPU_QUOTA, cpuCores);
        putIfSet(set, Limit.CPU_WEIGHT, cpuWeight);
        putIfSet(set, Limit.MEMORY, memoryBytes);
        putIfSet(set, Limit.PROCESSES, maxProcesses);
        putIfSet(set, Limit.DISK, diskBytes);
        return set;
    }

    private static void putIfSet(Map<Limit, Number> map, Limit limit, Number value) {
        if (value != null) {
            map.put(limit, value);
        }
    }
}
