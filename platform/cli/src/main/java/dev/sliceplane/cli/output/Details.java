package dev.sliceplane.cli.output;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON object for people: its fields one per line, names aligned, in the node's order. */
public final class Details {

    private Details() {
    }

    public static String render(JsonNode object) {
        int width = 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        StringBuilder out = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String value = field.getValue().isObject() ? field.getValue().toString() : Cells.text(field.getValue());
            out.append(field.getKey()).append(" ".repeat(width - field.getKey().length() + 2)).append(value).append('\n');
        }
        return out.toString();
    }
}
