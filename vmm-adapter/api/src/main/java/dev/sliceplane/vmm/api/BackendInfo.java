package dev.sliceplane.vmm.api;

import java.util.Map;

/**
 * Which backend a VMM runs on and what it can enforce.
 *
 * @param name        {@code linux}, {@code process} or {@code simulated}
 * @param detail      a sentence for an operator (for example the cgroup version and root)
 * @param simulated   true for a simulation; every figure it reports is synthetic
 * @param enforcement how each kind of limit is honoured
 */
public record BackendInfo(String name, String detail, boolean simulated, Map<Limit, Enforcement> enforcement) {

    public BackendInfo {
        enforcement = Map.copyOf(enforcement);
    }

    public Enforcement enforcement(Limit limit) {
        return enforcement.getOrDefault(limit, Enforcement.NOT_ENFORCED);
    }
}
