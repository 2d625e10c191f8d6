package dev.sliceplane.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Rows of JSON objects as an aligned text table for people: an upper-case header, each column as
 * wide as its widest cell, two spaces between columns, and no trailing blanks.
 */
public final class Table {

    private static final String GAP = "  ";

    /** A column: its header and how a row shows in it. */
    public record Column(String header, Function<JsonNode, String> cell) {
    }

    private final List<Column> columns;

    private Table(List<Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a column");
        }
        this.columns = List.copyOf(columns);
    }

    public static Table of(Column... columns) {
        return new Table(List.of(columns));
    }

    /** A column showing one field of each row. */
    public static Column field(String header, String field) {
        return new Column(header, row -> Cells.text(row.get(field)));
    }

    /** A column computed from the row. */
    public static Column computed(String header, Function<JsonNode, String> cell) {
        return new Column(header, row -> {
            String text = cell.apply(row);
            return text == null || text.isEmpty() ? Cells.NONE : Cells.oneLine(text);
        });
    }

    /** The table with a header line; empty rows give the header alone. */
    public String render(Iterable<JsonNode> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.stream().map(c -> c.header().toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (JsonNode row : rows) {
            lines.add(columns.stream().map(c -> c.cell().apply(row)).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], width(line[i]));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(line[i]);
                if (i < line.length - 1) {
                    text.append(" ".repeat(widths[i] - width(line[i]))).append(GAP);
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Width in characters as a terminal shows them (code points, not UTF-16 units). */
    static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
