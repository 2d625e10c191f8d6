package dev.sliceplane.cli;

import java.io.Console;
import java.util.Optional;

/** Reads a password from the terminal without echoing it. */
@FunctionalInterface
public interface PasswordConsole {

    /** The password typed at the prompt, or empty when there is no terminal to ask on. */
    Optional<char[]> readPassword(String prompt);

    /** The process's terminal ({@link System#console()}), absent when input or output is redirected. */
    static PasswordConsole system() {
        return prompt -> {
            Console console = System.console();
            if (console == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(console.readPassword("%s", prompt));
        };
    }

    /** No terminal at all. */
    static PasswordConsole none() {
        return prompt -> Optional.empty();
    }
}
