package dev.sliceplane.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.client.DeployRequest;
import dev.sliceplane.client.Lease;
import dev.sliceplane.client.Program;
import dev.sliceplane.client.ProgramSpec;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The contract's JSON shapes, read and written by hand so the public records carry no mapping
 * annotations. Reading is lenient where the contract leaves room (a list may come bare or under
 * a field, a time as ISO-8601 or epoch seconds); a value that cannot be what the contract says
 * reads as null, and callers decide whether that makes the answer unusable.
 */
public final class Views {

    private final ObjectMapper json;

    public Views(ObjectMapper json) {
        this.json = json;
    }

    // --- written

    public ObjectNode resources(Resources resources) {
        return json.createObjectNode().put("cpu", resources.cpu()).put("memory", resources.memory())
                .put("processes", resources.processes()).put("disk", resources.disk());
    }

    public ObjectNode brokerRequest(DeployRequest request) {
        ObjectNode body = json.createObjectNode().put("slice", request.slice()).put("count", request.count());
        body.set("resources", resources(request.resources()));
        if (request.where() != null) {
            body.put("where", request.where());
        }
        if (request.duration() != null) {
            body.put("duration", request.duration().toString());
        }
        return body.put("partial", request.partial());
    }

    public ObjectNode redeem(String ticket) {
        return json.createObjectNode().put("ticket", ticket);
    }

    public ObjectNode program(ProgramSpec spec) {
        ObjectNode body = json.createObjectNode();
        ArrayNode command = body.putArray("command");
        spec.command().forEach(command::add);
        ObjectNode environment = body.putObject("environment");
        spec.environment().forEach(environment::put);
        if (spec.workingDirectory() != null) {
            body.put("workingDirectory", spec.workingDirectory());
        }
        return body;
    }

    public ObjectNode renewal(Duration duration) {
        return json.createObjectNode().put("duration", duration.toString());
    }

    public ObjectNode resize(Resources resources) {
        ObjectNode body = json.createObjectNode();
        body.set("resources", resources(resources));
        return body;
    }

    // --- read

    /** The elements of a list answer: a bare array, or the array under {@code field}. */
    public static List<JsonNode> list(JsonNode answer, String field) {
        JsonNode array = answer.isArray() ? answer : answer.path(field);
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    /** Whether the answer is a list at all (bare, or under {@code field}). */
    public static boolean isList(JsonNode answer, String field) {
        return answer.isArray() || answer.path(field).isArray();
    }

    /** A ticket from the broker or the agent; null without a node name. */
    public static Ticket ticket(JsonNode node) {
        String host = text(node, "node");
        if (host == null) {
            host = text(node, "aud");
        }
        if (host == null) {
            return null;
        }
        return new Ticket(text(node, "id"), host, uri(text(node, "url")), text(node, "ticket"));
    }

    /** A lease view; null when it has no id. */
    public static Lease lease(JsonNode node) {
        String id = text(node, "id");
        if (id == null) {
            return null;
        }
        return new Lease(id, text(node, "slice"), text(node, "node"), text(node, "sliver"), text(node, "ticket"),
                resources(node.path("resources")), instant(node.path("start")), instant(node.path("end")),
                text(node, "state"), text(node, "warning"), text(node, "lease"));
    }

    /** A program; null without a pid. */
    public static Program program(JsonNode node) {
        JsonNode pid = node.path("pid");
        if (!pid.canConvertToLong() || !pid.isIntegralNumber()) {
            return null;
        }
        List<String> command = new ArrayList<>();
        node.path("command").forEach(word -> command.add(word.asText()));
        JsonNode exit = node.path("exitCode");
        return new Program(pid.asLong(), command, text(node, "stdout"), text(node, "stderr"),
                instant(node.path("started")), text(node, "state"), exit.isInt() ? exit.asInt() : null);
    }

    /** A resources object; null when a dimension is negative or not a number. */
    public static Resources resources(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        try {
            return new Resources(number(node, "cpu").doubleValue(), number(node, "memory").longValue(),
                    number(node, "processes").intValue(), number(node, "disk").longValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code hostname → url} pairs of the agent's node list. */
    public static Map<String, URI> nodeUrls(JsonNode answer) {
        Map<String, URI> urls = new HashMap<>();
        for (JsonNode node : list(answer, "nodes")) {
            String host = text(node, "hostname");
            URI url = uri(text(node, "url"));
            if (host != null && url != null) {
                urls.put(host, url);
            }
        }
        return urls;
    }

    private static Number number(JsonNode object, String field) {
        JsonNode value = object.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " is not a number");
        }
        return value.numberValue();
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isEmpty() ? value.asText() : null;
    }

    static URI uri(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            return uri.getScheme() != null && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** ISO-8601 (with an offset or Z) or epoch seconds; null otherwise. */
    static Instant instant(JsonNode value) {
        if (value.isNumber()) {
            return Instant.ofEpochSecond(value.asLong());
        }
        if (!value.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
