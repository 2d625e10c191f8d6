package dev.sliceplane.monitor.internal.http;

import static dev.sliceplane.platform.api.query.AttributeType.NUMBER;
import static dev.sliceplane.platform.api.query.AttributeType.TEXT;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.platform.api.query.AttributeType;
import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;

/** {@code /api/v1/monitor/slices}: one row per management slice. */
final class SliceTable implements Table<SliceFigures> {

    static final QuerySchema SCHEMA = QuerySchema.of(attributes());

    private final Monitor monitor;

    SliceTable(Monitor monitor) {
        this.monitor = monitor;
    }

    private static Map<String, AttributeType> attributes() {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        attributes.put("name", TEXT);
        attributes.put("bundle", TEXT);
        attributes.put("state", TEXT);
        for (String number : List.of("cpu", "cpu_seconds", "cpu_share", "allocated", "threads", "queued",
                "completed", "http_requests", "data")) {
            attributes.put(number, NUMBER);
        }
        return attributes;
    }

    @Override
    public QuerySchema schema() {
        return SCHEMA;
    }

    @Override
    public List<SliceFigures> records() {
        return monitor.managementSlices();
    }

    @Override
    public Row row(SliceFigures f, Instant at) {
        return attribute -> switch (attribute) {
            case "name" -> f.name();
            case "bundle" -> f.bundle();
            case "state" -> f.state();
            case "cpu" -> f.cpu();
            case "cpu_seconds" -> f.cpuSeconds();
            case "cpu_share" -> f.cpuShare();
            case "allocated" -> f.allocatedBytes();
            case "threads" -> f.threads();
            case "queued" -> f.queuedTasks();
            case "completed" -> f.completedTasks();
            case "http_requests" -> f.httpRequests();
            case "data" -> f.dataBytes();
            default -> null;
        };
    }
}
