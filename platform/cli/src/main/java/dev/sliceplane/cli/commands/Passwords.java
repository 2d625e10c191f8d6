package dev.sliceplane.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;

/**
 * Where passwords come from: never a command-line argument (other users see those in
 * {@code ps}), but the terminal without echo, an environment variable, or standard input.
 */
final class Passwords {

    private Passwords() {
    }

    /** The first line of standard input. */
    static char[] fromStdin(Environment env) {
        try {
            String line = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("standard input holds no password");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException("cannot read the password from standard input: " + e.getMessage());
        }
    }

    /** Asks on the terminal; fails with what to do instead when there is none. */
    static char[] ask(Environment env, String prompt, String alternatives) {
        Optional<char[]> typed = env.console().readPassword(prompt);
        if (typed.isEmpty()) {
            throw new CliException("no terminal to ask for the password on; " + alternatives);
        }
        return typed.get();
    }

    /** Asks twice on the terminal; fails when the two differ. */
    static char[] askTwice(Environment env, String prompt, String alternatives) {
        char[] first = ask(env, prompt, alternatives);
        char[] second = ask(env, "Again: ", alternatives);
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw new CliException("the two passwords differ");
        }
        return first;
    }
}
