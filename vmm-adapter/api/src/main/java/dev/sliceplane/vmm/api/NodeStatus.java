package dev.sliceplane.vmm.api;

import java.time.Instant;
import java.util.List;

/**
 * The node's own status, read from /proc and /sys with the meaning of Prometheus
 * node_exporter's metrics (named beside each figure), so the two agree when both run.
 *
 * @param at                when it was read
 * @param simulated         true when the figures come from a simulation, not a machine
 * @param cores             online CPUs
 * @param load1             {@code node_load1}
 * @param load5             {@code node_load5}
 * @param load15            {@code node_load15}
 * @param cpu               {@code node_cpu_seconds_total}, summed over CPUs, by mode
 * @param cpuBusy           fraction of all CPUs busy (not idle or iowait) since the previous
 *                          reading, in [0, 1]; {@code null} on the first reading
 * @param memTotalBytes     {@code node_memory_MemTotal_bytes}
 * @param memAvailableBytes {@code node_memory_MemAvailable_bytes}
 * @param swapTotalBytes    {@code node_memory_SwapTotal_bytes}
 * @param swapFreeBytes     {@code node_memory_SwapFree_bytes}
 * @param disk              the filesystem holding the node's data ({@code node_filesystem_*})
 * @param bootTimeSeconds   {@code node_boot_time_seconds}
 * @param uptimeSeconds     seconds since boot ({@code node_time_seconds - node_boot_time_seconds})
 * @param network           per-interface byte counters ({@code node_network_*_bytes_total})
 */
public record NodeStatus(Instant at, boolean simulated, int cores, double load1, double load5, double load15,
                         CpuTimes cpu, Double cpuBusy, long memTotalBytes, long memAvailableBytes,
                         long swapTotalBytes, long swapFreeBytes, Filesystem disk,
                         double bootTimeSeconds, double uptimeSeconds, List<NetworkCounters> network) {

    public NodeStatus {
        network = List.copyOf(network);
    }

    /** CPU seconds summed over all CPUs, by mode, as in {@code /proc/stat}. */
    public record CpuTimes(double user, double nice, double system, double idle, double iowait,
                           double irq, double softirq, double steal) {

        /** Seconds spent neither idle nor waiting for I/O. */
        public double busy() {
            return user + nice + system + irq + softirq + steal;
        }

        public double total() {
            return busy() + idle + iowait;
        }
    }

    /**
     * One filesystem ({@code node_filesystem_size_bytes}, {@code _free_bytes}, {@code _avail_bytes}).
     *
     * @param mountPoint the mount point
     * @param device     the device or source
     * @param type       the filesystem type
     */
    public record Filesystem(String mountPoint, String device, String type,
                             long sizeBytes, long freeBytes, long availBytes) {
    }

    /** Byte counters of one interface ({@code node_network_receive_bytes_total}, {@code _transmit_}). */
    public record NetworkCounters(String device, long receiveBytes, long transmitBytes) {
    }
}
