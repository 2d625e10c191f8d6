package dev.sliceplane.discovery.web.internal;

import java.util.List;

/**
 * CSV as RFC 4180 has it, for {@code format=csv}: CRLF line ends; a field holding a comma, a
 * double quote or a line break is quoted with its quotes doubled; a null is an empty field.
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private final StringBuilder out = new StringBuilder(1024);

    Csv line(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = fields.get(i);
            String text = value == null ? "" : value.toString();
            if (text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
                out.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                out.append(text);
            }
        }
        out.append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
