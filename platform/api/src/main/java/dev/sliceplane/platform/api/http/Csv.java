package dev.sliceplane.platform.api.http;

import java.util.List;

/**
 * CSV as RFC 4180 has it, for the {@code format=csv} of the query routes: CRLF line ends; a field
 * holding a comma, a double quote or a line break is quoted, its quotes doubled. A null is an
 * empty field; numbers as Java writes them. Not thread-safe: one per answer.
 *
 * @since 1.2
 */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv";

    private final StringBuilder out = new StringBuilder(4096);

    /** Appends one record. */
    public Csv line(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            field(fields.get(i));
        }
        out.append("\r\n");
        return this;
    }

    private void field(Object value) {
        if (value == null) {
            return;
        }
        String text = value.toString();
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.append(text);
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** The records so far. */
    @Override
    public String toString() {
        return out.toString();
    }
}
