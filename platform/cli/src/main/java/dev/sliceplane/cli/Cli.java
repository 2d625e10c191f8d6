package dev.sliceplane.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
        return commandLine(args).execute(args);
    }

    /** The command tree for these arguments, with this environment's streams and failure handling. */
    public CommandLine commandLine(String... args) {
        CommandFactory factory = new CommandFactory(env);
        CommandLine commandLine = new CommandLine(new SliceplaneCommand(), factory);
        for (Class<?> noun : nounsFor(args)) {
            commandLine.addSubcommand(new CommandLine(noun, factory));
        }
        commandLine.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler(this::usageError);
        commandLine.setExecutionExceptionHandler(this::failure);
        return commandLine;
    }

    /**
     * Only the noun the command line names is built: picocli reads every command's annotations by
     * reflection up front, and the whole tree took about 0.25 s of CPU at start-up, the largest
     * part of a command's run. All of them when the first word names none (help, a typo).
     */
    public static Collection<Class<?>> nounsFor(String... args) {
        Class<?> named = SliceplaneCommand.NOUNS.get(GlobalOptions.firstWord(args));
        return named == null ? SliceplaneCommand.NOUNS.values() : List.of(named);
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
