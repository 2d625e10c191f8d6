package dev.sliceplane.monitor.api;

import java.time.Instant;

/**
 * One management slice's figures (a bundle's share of the node, {@code mgmt_<service>}), read
 * from the platform's bundle-slice accounting at the moment of a VMM sample.
 *
 * @param at             when they were read
 * @param name           the slice, such as {@code mgmt_monitor}
 * @param bundle         the symbolic name of the bundle running in it
 * @param state          {@code RUNNING}, {@code VIOLATING}, ...
 * @param cpu            cores used since the previous reading
 * @param cpuSeconds     CPU time of its threads and of the HTTP requests it served
 * @param cpuShare       its CPU share, in cores
 * @param allocatedBytes bytes allocated by its threads
 * @param threads        live threads of its executor
 * @param queuedTasks    tasks waiting
 * @param completedTasks tasks completed
 * @param httpRequests   HTTP requests served
 * @param dataBytes      bytes in its data area
 */
public record SliceFigures(Instant at, String name, String bundle, String state, Double cpu, double cpuSeconds,
                           double cpuShare, long allocatedBytes, int threads, int queuedTasks, long completedTasks,
                           long httpRequests, long dataBytes) {
}
