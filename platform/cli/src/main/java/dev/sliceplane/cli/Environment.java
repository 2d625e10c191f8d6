package dev.sliceplane.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a command reads from or writes to outside itself: environment variables, the
 * console, standard streams and the clock. Tests pass their own; {@link Main} passes the real ones.
 *
 * @param variables environment variables
 * @param stdin     standard input (for {@code --password-stdin} and {@code --file -})
 * @param out       standard output: tables and JSON
 * @param err       standard error: failures and notices
 * @param console   reads passwords without echo
 * @param clock     decides whether a stored token has expired
 */
public record Environment(Map<String, String> variables, InputStream stdin, PrintStream out, PrintStream err,
        PasswordConsole console, Clock clock) {

    public static final String URL = "SLICEPLANE_URL";
    public static final String TOKEN = "SLICEPLANE_TOKEN";
    public static final String API_KEY = "SLICEPLANE_API_KEY";
    public static final String PASSWORD = "SLICEPLANE_PASSWORD";
    public static final String DEBUG = "SLICEPLANE_DEBUG";

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** The variable's value when it is set and not blank. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /** {@code $XDG_CONFIG_HOME/sliceplane}, else {@code $HOME/.config/sliceplane}. */
    public Path configDir() {
        return variable("XDG_CONFIG_HOME").map(Path::of)
                .orElseGet(() -> Path.of(variable("HOME").orElseGet(() -> System.getProperty("user.home")), ".config"))
                .resolve("sliceplane");
    }
}
