package dev.sliceplane.agent.internal.agent;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sliceplane.platform.api.query.AttributeType;
import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;

/**
 * The attributes a broker request's {@code where} may name: {@code hostname}, {@code site},
 * {@code health}; the node's capacity as {@code cpu} (cores), {@code mem}, {@code disk} (bytes),
 * {@code processes}; what is available of it as {@code cpu_free}, {@code mem_free},
 * {@code disk_free}, {@code processes_free}; what the node's monitor measured, when its report
 * says: {@code cpu_busy} (fraction of CPUs busy), {@code load1}, {@code mem_available} (bytes) — a
 * node whose report lacks one matches no term on it. Also the query of {@code GET /api/v1/agent/nodes}.
 */
public final class NodeAttributes {

    public static final QuerySchema SCHEMA;

    static {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        for (String text : new String[] {"hostname", "site", "health"}) {
            attributes.put(text, AttributeType.TEXT);
        }
        for (String number : new String[] {"cpu", "mem", "disk", "processes", "cpu_free", "mem_free", "disk_free",
                "processes_free", "cpu_busy", "load1", "mem_available"}) {
            attributes.put(number, AttributeType.NUMBER);
        }
        SCHEMA = QuerySchema.of(attributes);
    }

    private NodeAttributes() {
    }

    public static Row of(NodeView node) {
        return name -> switch (name) {
            case "hostname" -> node.hostname();
            case "site" -> node.site();
            case "health" -> node.health();
            case "cpu" -> node.capacity().cpu();
            case "mem" -> node.capacity().memory();
            case "disk" -> node.capacity().disk();
            case "processes" -> node.capacity().processes();
            case "cpu_free" -> node.available().cpu();
            case "mem_free" -> node.available().memory();
            case "disk_free" -> node.available().disk();
            case "processes_free" -> node.available().processes();
            case "cpu_busy" -> node.cpuBusy();
            case "load1" -> node.load1();
            case "mem_available" -> node.memAvailable();
            default -> null;
        };
    }
}
