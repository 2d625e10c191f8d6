package dev.sliceplane.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs the command line in-process with captured streams, a private HOME and chosen variables. */
public final class CliRun {

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> variables = new HashMap<>();
    private String stdin = "";
    private PasswordConsole console = PasswordConsole.none();
    private Clock clock = Clock.systemUTC();

    public CliRun(Path home) {
        variables.put("HOME", home.toString());
    }

    public CliRun env(String name, String value) {
        if (value == null) {
            variables.remove(name);
        } else {
            variables.put(name, value);
        }
        return this;
    }

    public CliRun stdin(String text) {
        this.stdin = text;
        return this;
    }

    public CliRun console(PasswordConsole console) {
        this.console = console;
        return this;
    }

    public CliRun clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Environment env = new Environment(variables, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                console, clock);
        int code = new Cli(env).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
