package dev.sliceplane.cli.commands;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.output.Cells;
import dev.sliceplane.cli.output.Table;
import dev.sliceplane.client.Failure;
import dev.sliceplane.client.Lease;
import dev.sliceplane.client.NodeResult;
import dev.sliceplane.client.Program;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The service manager's reports as the command line shows them: JSON for scripts (the contract's
 * lease and program views, each node's state and failure with its reasons), and from that JSON a
 * table for people, one row per node: node, state, lease end, and the pid or the reason chain.
 */
final class SliceReports {

    static final Table TABLE = Table.of(
            Table.field("node", "node"),
            Table.computed("state", SliceReports::state),
            Table.computed("lease end", row -> Cells.text(row.path("lease").path("end"))),
            Table.computed("pid or reason", SliceReports::pidOrReason));

    private SliceReports() {
    }

    static ArrayNode nodes(ObjectMapper json, List<NodeResult> results) {
        ArrayNode nodes = json.createArrayNode();
        results.forEach(result -> nodes.add(node(json, result)));
        return nodes;
    }

    static ObjectNode node(ObjectMapper json, NodeResult result) {
        ObjectNode node = json.createObjectNode().put("node", result.node())
                .put("url", result.url() == null ? null : result.url().toString())
                .put("state", result.state().name().toLowerCase(Locale.ROOT));
        node.set("lease", result.lease() == null ? json.nullNode() : lease(json, result.lease()));
        ArrayNode programs = node.putArray("programs");
        result.programs().forEach(program -> programs.add(program(json, program)));
        node.set("failure", result.failure() == null ? json.nullNode() : failure(json, result.failure()));
        return node;
    }

    static ObjectNode lease(ObjectMapper json, Lease lease) {
        ObjectNode view = json.createObjectNode().put("id", lease.id()).put("slice", lease.slice())
                .put("node", lease.node()).put("sliver", lease.sliver()).put("ticket", lease.ticket());
        view.set("resources", lease.resources() == null ? json.nullNode() : resources(json, lease.resources()));
        return view.put("start", text(lease.start())).put("end", text(lease.end())).put("state", lease.state())
                .put("warning", lease.warning()).put("lease", lease.jws());
    }

    static ObjectNode resources(ObjectMapper json, Resources resources) {
        return json.createObjectNode().put("cpu", resources.cpu()).put("memory", resources.memory())
                .put("processes", resources.processes()).put("disk", resources.disk());
    }

    static ObjectNode program(ObjectMapper json, Program program) {
        ObjectNode view = json.createObjectNode().put("pid", program.pid());
        ArrayNode command = view.putArray("command");
        program.command().forEach(command::add);
        return view.put("stdout", program.stdout()).put("stderr", program.stderr())
                .put("started", text(program.started())).put("state", program.state())
                .put("exitCode", program.exitCode());
    }

    static ObjectNode failure(ObjectMapper json, Failure failure) {
        ObjectNode view = json.createObjectNode().put("status", failure.status()).put("type", failure.type())
                .put("detail", failure.detail());
        ArrayNode reasons = view.putArray("reasons");
        for (Reason reason : failure.reasons()) {
            reasons.addObject().put("check", reason.check()).put("node", reason.node()).put("rule", reason.rule())
                    .put("detail", reason.detail());
        }
        return view;
    }

    /** {@code running}, {@code no lease}, ...; a lease that is ending says so: {@code leased (expiring)}. */
    private static String state(JsonNode row) {
        String state = row.path("state").asText().replace('_', ' ');
        String leaseState = row.path("lease").path("state").asText("");
        boolean held = state.equals("running") || state.equals("leased");
        return held && (leaseState.equals("expiring") || leaseState.equals("expired"))
                ? state + " (" + leaseState + ")" : state;
    }

    /** The reason chain when the node failed, else its programs ({@code pid 4242 running}), else the lease's warning. */
    private static String pidOrReason(JsonNode row) {
        JsonNode failure = row.path("failure");
        if (failure.isObject()) {
            JsonNode reasons = failure.path("reasons");
            if (reasons.isEmpty()) {
                return failure.path("detail").asText();
            }
            StringJoiner chain = new StringJoiner("; ");
            reasons.forEach(reason -> chain.add(reason.path("check").asText() + " on " + reason.path("node").asText()
                    + " (" + reason.path("rule").asText() + "): " + reason.path("detail").asText()));
            return chain.toString();
        }
        StringJoiner programs = new StringJoiner(", ");
        for (JsonNode program : row.path("programs")) {
            StringBuilder text = new StringBuilder("pid ").append(program.path("pid").asText());
            if (program.path("state").isTextual()) {
                text.append(' ').append(program.path("state").asText());
            }
            if (program.path("exitCode").isInt()) {
                text.append(' ').append(program.path("exitCode").asInt());
            }
            programs.add(text);
        }
        if (programs.length() > 0) {
            return programs.toString();
        }
        return row.path("lease").path("warning").asText(null);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
