package dev.sliceplane.nodemanager.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.vmm.api.Limits;

/** {@code res} objects in and out of JSON, and what a sliver can be made with. */
public final class ResourcesJson {

    private ResourcesJson() {
    }

    /** {@code {"cpu","memory","processes","disk"}}; null when a member is missing, of the wrong kind or negative. */
    public static Resources read(JsonNode res) {
        if (res == null || !res.isObject() || !res.path("cpu").isNumber() || !res.path("memory").isIntegralNumber()
                || !res.path("processes").isIntegralNumber() || !res.path("disk").isIntegralNumber()
                || !res.path("processes").canConvertToInt() || !res.path("memory").canConvertToLong()
                || !res.path("disk").canConvertToLong()) {
            return null;
        }
        try {
            return new Resources(res.path("cpu").asDouble(), res.path("memory").asLong(), res.path("processes").asInt(),
                    res.path("disk").asLong());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static ObjectNode write(Resources resources) {
        ObjectNode res = Jws.JSON.createObjectNode();
        res.put("cpu", resources.cpu());
        res.put("memory", resources.memory());
        res.put("processes", resources.processes());
        res.put("disk", resources.disk());
        return res;
    }

    /**
     * Refuses resources no sliver can be limited to: the VMM needs some CPU, at least 1 MiB of
     * memory and one process (a 0 would read as "no limit", which no ticket may grant).
     */
    public static void requireGrantable(Resources resources, String node, String rule) {
        if (!(resources.cpu() > 0) || resources.cpu() > 4096) {
            throw Denials.invalid(node, rule, "cpu must be in (0, 4096] cores, was " + resources.cpu());
        }
        if (resources.memory() < Limits.MIN_MEMORY_BYTES) {
            throw Denials.invalid(node, rule, "memory must be at least 1 MiB, was " + resources.memory() + " bytes");
        }
        if (resources.processes() < 1 || resources.processes() > Limits.MAX_PROCESSES) {
            throw Denials.invalid(node, rule, "processes must be in [1, " + Limits.MAX_PROCESSES + "], was "
                    + resources.processes());
        }
    }

    /** The VMM limits of a sliver holding {@code resources}: cpu → cores, memory, processes, disk. */
    public static Limits limits(Resources resources) {
        return new Limits(resources.cpu(), null, resources.memory(), resources.processes(), resources.disk());
    }
}
