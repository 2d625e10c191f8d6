package dev.sliceplane.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.sliceplane.cli.commands.SliceplaneCommand;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line, run against an {@link Environment}: parses, runs the command, and turns every
 * failure into one {@code sliceplane: ...} line on stderr and an {@link ExitCodes exit code}.
 */
public final class Cli {

    private final Environment env;

    public Cli(Environment env) {
        this.env = env;
    }

    public int run(String... args) {
        try {
            return execute(args);
        } catch (RuntimeException e) {
            // Only a bug gets here (picocli reports its own and our failures through the handlers).
            return internalError(e);
        }
    }

    private int execute(String... args) {
        CommandLine commandLine = new CommandLine(new SliceplaneCommand(), new CommandFactory(env));
        commandLine.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler(this::usageError);
        commandLine.setExecutionExceptionHandler(this::failure);
        return commandLine.execute(args);
    }

    /** A wrong command line: picocli's reason and where to find help, on one line. */
    private int usageError(ParameterException e, String[] args) {
        StringBuilder line = new StringBuilder(e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        line.append(" (see '").append(e.getCommandLine().getCommandSpec().qualifiedName()).append(" --help')");
        env.err().println("sliceplane: " + line);
        return ExitCodes.USAGE;
    }

    private int failure(Exception e, CommandLine commandLine, ParseResult parsed) {
        if (e instanceof CliException failure) {
            env.err().println("sliceplane: " + failure.getMessage());
            return failure.exitCode();
        }
        return internalError(e);
    }

    /** A bug of ours: still one line, with the trace only when $SLICEPLANE_DEBUG is set. */
    private int internalError(Exception e) {
        env.err().println("sliceplane: internal error: " + e);
        if (env.variable(Environment.DEBUG).isPresent()) {
            e.printStackTrace(env.err());
        }
        return ExitCodes.FAILED;
    }
}
