package dev.sliceplane.monitor.internal.http;

import java.util.List;

/**
 * CSV as RFC 4180 has it: CRLF line ends; a field holding a comma, a double quote or a line
 * break is quoted, its quotes doubled. A null is an empty field; numbers as Java writes them.
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private final StringBuilder out = new StringBuilder(4096);

    /** Appends one record. */
    Csv line(List<?> fields) {
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

    @Override
    public String toString() {
        return out.toString();
    }
}
