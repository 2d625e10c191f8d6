package dev.sliceplane.monitor.api;

import java.time.Instant;

/**
 * One sliver's figures at one sample. A {@code null} figure is one the VMM backend cannot
 * measure, or a rate before the sliver's second sample.
 *
 * @param at              when the sample was taken
 * @param name            the sliver
 * @param slice           the slice holding it (the node manager names a sliver after its slice)
 * @param state           {@code RUNNING}, {@code IDLE}, ... as the VMM reports it
 * @param cpu             cores used since the previous sample
 * @param cpuSeconds      CPU time since creation
 * @param memBytes        memory in use
 * @param memPeakBytes    highest memory in use
 * @param memLimitBytes   its memory limit, when it has one
 * @param processes       processes and threads in it
 * @param diskBytes       bytes under its home
 * @param netRxBytes      bytes received, where the backend can attribute traffic
 * @param netTxBytes      bytes sent, likewise
 * @param netRxRate       bytes received per second since the previous sample
 * @param netTxRate       bytes sent per second since the previous sample
 * @param oomKills        processes killed for exceeding the memory limit
 * @param leaseEnd        when its lease ends unless renewed; null for a sliver without a lease
 */
public record SliverFigures(Instant at, String name, String slice, String state, Double cpu, double cpuSeconds,
                            Long memBytes, Long memPeakBytes, Long memLimitBytes, int processes, Long diskBytes,
                            Long netRxBytes, Long netTxBytes, Double netRxRate, Double netTxRate, long oomKills,
                            Instant leaseEnd) {
}
