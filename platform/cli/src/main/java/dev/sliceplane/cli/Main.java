package dev.sliceplane.cli;

import java.time.Clock;

/** Entry point of {@code ./sliceplane <noun> <verb> ...}: the real environment, the exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Environment env = new Environment(System.getenv(), System.in, System.out, System.err,
                PasswordConsole.system(), Clock.systemUTC());
        int code = new Cli(env).run(args);
        System.out.flush();
        System.exit(code);
    }
}
