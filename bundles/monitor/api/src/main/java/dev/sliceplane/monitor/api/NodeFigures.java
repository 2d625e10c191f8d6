package dev.sliceplane.monitor.api;

import java.time.Instant;

/**
 * The node's figures at one sample. A {@code null} figure is one that is not known (yet): a rate
 * needs two samples, the clock offset a report answered by the authority.
 *
 * @param at                 when the sample was taken
 * @param hostname           the node's host name
 * @param backend            the VMM backend that took the sample
 * @param simulated          true when the figures come from a simulation, not a machine
 * @param cores              online CPUs
 * @param cpuBusy            fraction of all CPUs busy since the previous sample, in [0, 1]
 * @param cpuFree            cores not busy since the previous sample ({@code cores × (1 − cpuBusy)})
 * @param load1              load average over 1 minute
 * @param load5              over 5 minutes
 * @param load15             over 15 minutes
 * @param memTotalBytes      MemTotal
 * @param memAvailableBytes  MemAvailable
 * @param swapTotalBytes     SwapTotal
 * @param swapFreeBytes      SwapFree
 * @param diskPath           the mount point of the filesystem holding the node's data
 * @param diskSizeBytes      its size
 * @param diskAvailBytes     what unprivileged users may still write on it
 * @param uptimeSeconds      seconds since boot
 * @param clockOffsetSeconds the authority's clock minus this node's, from the last report's
 *                           round trip; 0 on the authority itself
 * @param slivers            live slivers
 * @param netRxBytes         bytes received on all interfaces but loopback, since boot
 * @param netTxBytes         bytes sent, likewise
 * @param netRxRate          bytes received per second since the previous sample
 * @param netTxRate          bytes sent per second since the previous sample
 */
public record NodeFigures(Instant at, String hostname, String backend, boolean simulated, int cores, Double cpuBusy,
                          Double cpuFree, double load1, double load5, double load15, long memTotalBytes,
                          long memAvailableBytes, long swapTotalBytes, long swapFreeBytes, String diskPath,
                          long diskSizeBytes, long diskAvailBytes, double uptimeSeconds, Double clockOffsetSeconds,
                          int slivers, long netRxBytes, long netTxBytes, Double netRxRate, Double netTxRate) {

    /** Fraction of memory in use (not available), in [0, 1]. */
    public double memUsed() {
        return memTotalBytes <= 0 ? 0 : 1.0 - (double) memAvailableBytes / memTotalBytes;
    }

    /** Fraction of the data filesystem in use (not available to users), in [0, 1]. */
    public double diskUsed() {
        return diskSizeBytes <= 0 ? 0 : 1.0 - (double) diskAvailBytes / diskSizeBytes;
    }
}
