package dev.sliceplane.cli.output;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JSON object for people: its fields one per line, names aligned, in the node's order. A
 * nested object's fields follow under dotted names ({@code principal.name}).
 */
public final class Details {

    private Details() {
    }

    public static String render(JsonNode object) {
        Map<String, String> lines = new LinkedHashMap<>();
        flatten("", object, lines);
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        lines.forEach((name, value) -> out.append(name).append(" ".repeat(width - name.length() + 2)).append(value).append('\n'));
        return out.toString();
    }

    private static void flatten(String prefix, JsonNode object, Map<String, String> lines) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject() && !field.getValue().isEmpty()) {
                flatten(prefix + field.getKey() + ".", field.getValue(), lines);
            } else {
                lines.put(prefix + field.getKey(), Cells.text(field.getValue()));
            }
        }
    }
}
