package dev.sliceplane.discovery.web.internal;

import static dev.sliceplane.platform.api.query.AttributeType.NUMBER;
import static dev.sliceplane.platform.api.query.AttributeType.TEXT;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.query.AttributeType;
import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;

/**
 * The view as a queryable table ({@code /api/v1/discovery/nodes}): one row per node, numbers in
 * base units (bytes, cores, seconds). {@code cpu_free} is free cores, {@code age} the seconds
 * since the node built its advertisement; {@code roles} is comma-separated text.
 */
final class NodeTable {

    static final QuerySchema SCHEMA = QuerySchema.of(attributes());

    private NodeTable() {
    }

    private static Map<String, AttributeType> attributes() {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        for (String text : List.of("hostname", "site", "url", "roles", "version", "location")) {
            attributes.put(text, TEXT);
        }
        for (String number : List.of("cores", "cpu_busy", "cpu_free", "load1", "mem", "mem_free", "disk",
                "disk_free", "slivers")) {
            attributes.put(number, NUMBER);
        }
        attributes.put("health", TEXT);
        attributes.put("liveness", TEXT);
        attributes.put("age", NUMBER);
        return attributes;
    }

    /** {@code node} as a row; {@code now} is when the query runs. */
    static Row row(NodeAdvert node, Instant now) {
        return attribute -> switch (attribute) {
            case "hostname" -> node.hostname();
            case "site" -> node.site();
            case "url" -> node.url() == null ? null : node.url().toString();
            case "roles" -> String.join(",", node.roles());
            case "version" -> node.version();
            case "location" -> node.location();
            case "cores" -> (long) node.cores();
            case "cpu_busy" -> node.cpuBusy();
            case "cpu_free" -> node.cpuFree();
            case "load1" -> node.load1();
            case "mem" -> node.memTotal();
            case "mem_free" -> node.memAvailable();
            case "disk" -> node.diskTotal();
            case "disk_free" -> node.diskAvailable();
            case "slivers" -> (long) node.slivers();
            case "health" -> node.health();
            case "liveness" -> node.liveness().name().toLowerCase(Locale.ROOT);
            case "age" -> node.advertisedAt() == null ? null
                    : Duration.between(node.advertisedAt(), now).toMillis() / 1000.0;
            default -> null;
        };
    }
}
