package dev.sliceplane.cli.output;

import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

/** How one JSON value reads in a table cell: on one line, with "-" for nothing. */
public final class Cells {

    public static final String NONE = "-";

    private Cells() {
    }

    public static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return NONE;
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                return NONE;
            }
            StringJoiner joined = new StringJoiner(",");
            value.forEach(element -> joined.add(text(element)));
            return joined.toString();
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.isEmpty() ? NONE : oneLine(text);
    }

    /** Control characters (a newline in a description) would break the table's rows. */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString();
    }
}
