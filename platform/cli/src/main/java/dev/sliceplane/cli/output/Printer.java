package dev.sliceplane.cli.output;

import java.io.PrintStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a command's result to stdout: tables and aligned fields for people, or, with
 * {@code --json}, the node's JSON as it came (pretty-printed) for scripts.
 */
public final class Printer {

    private final PrintStream out;
    private final ObjectMapper json;
    private final boolean asJson;

    public Printer(PrintStream out, ObjectMapper json, boolean asJson) {
        this.out = out;
        this.json = json;
        this.asJson = asJson;
    }

    public boolean asJson() {
        return asJson;
    }

    /** A list: a table, or "no &lt;things&gt;" when it is empty. */
    public void list(JsonNode rows, Table table, String things) {
        if (asJson) {
            json(rows);
        } else if (rows.isEmpty()) {
            out.println("no " + things);
        } else {
            out.print(table.render(rows));
        }
    }

    /** One object: its fields, aligned. */
    public void object(JsonNode object) {
        if (asJson) {
            json(object);
        } else {
            out.print(Details.render(object));
        }
    }

    /** The result of a change: a line for people, the node's answer (when it has one) for scripts. */
    public void changed(JsonNode answer, String message) {
        if (asJson) {
            if (!answer.isMissingNode()) {
                json(answer);
            }
        } else {
            out.println(message);
        }
    }

    /** A bare value (a token) that scripts capture as is, with --json or without. */
    public void line(String text) {
        out.println(text);
    }

    public void json(JsonNode value) {
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
