package dev.sliceplane.monitor.internal.http;

import static dev.sliceplane.platform.api.query.AttributeType.NUMBER;
import static dev.sliceplane.platform.api.query.AttributeType.TEXT;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.SliverFigures;
import dev.sliceplane.platform.api.query.AttributeType;
import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;

/**
 * {@code /api/v1/monitor/slivers}: one row per live sliver. {@code net_rx}/{@code net_tx} are
 * rates (bytes/s), {@code lease_end} the seconds from the sample until the lease ends.
 */
final class SliverTable implements Table<SliverFigures> {

    static final QuerySchema SCHEMA = QuerySchema.of(attributes());

    private final Monitor monitor;

    SliverTable(Monitor monitor) {
        this.monitor = monitor;
    }

    private static Map<String, AttributeType> attributes() {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        attributes.put("name", TEXT);
        attributes.put("slice", TEXT);
        attributes.put("state", TEXT);
        for (String number : List.of("cpu", "cpu_seconds", "mem", "mem_peak", "mem_limit", "processes", "disk",
                "net_rx", "net_tx", "oom_kills", "lease_end")) {
            attributes.put(number, NUMBER);
        }
        return attributes;
    }

    @Override
    public QuerySchema schema() {
        return SCHEMA;
    }

    @Override
    public List<SliverFigures> records() {
        return monitor.slivers();
    }

    @Override
    public Row row(SliverFigures f, Instant at) {
        return attribute -> switch (attribute) {
            case "name" -> f.name();
            case "slice" -> f.slice();
            case "state" -> f.state();
            case "cpu" -> f.cpu();
            case "cpu_seconds" -> f.cpuSeconds();
            case "mem" -> f.memBytes();
            case "mem_peak" -> f.memPeakBytes();
            case "mem_limit" -> f.memLimitBytes();
            case "processes" -> f.processes();
            case "disk" -> f.diskBytes();
            case "net_rx" -> f.netRxRate();
            case "net_tx" -> f.netTxRate();
            case "oom_kills" -> f.oomKills();
            case "lease_end" -> f.leaseEnd() == null ? null : Duration.between(at, f.leaseEnd()).toMillis() / 1000.0;
            default -> null;
        };
    }
}
