package dev.sliceplane.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line the way a person does: the repository's {@code sliceplane} script, which
 * runs the built distribution's {@code lib/cli}, in its own process with its own HOME (so tokens
 * are stored under the test's directory) and only the SLICEPLANE_ variables the test sets.
 */
public final class CliProcess {

    private static final Path SCRIPT = Path.of(System.getProperty("sliceplane.script", "../sliceplane")).toAbsolutePath().normalize();

    /** One run: exit code, stdout, stderr and how long it took. */
    public record Result(int exitCode, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + exitCode + " in " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path home;
    private final Map<String, String> variables = new HashMap<>();

    public CliProcess(Path home, String url) {
        this.home = home;
        variables.put("SLICEPLANE_URL", url);
    }

    /** The same HOME and URL with one more variable. */
    public CliProcess with(String name, String value) {
        CliProcess copy = new CliProcess(home, variables.get("SLICEPLANE_URL"));
        copy.variables.putAll(variables);
        copy.variables.put(name, value);
        return copy;
    }

    public Path home() {
        return home;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SLICEPLANE_") || name.equals("XDG_CONFIG_HOME"));
        env.put("HOME", home.toString());
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.putAll(variables);
        Path out = Files.createTempFile(home, "cli", ".out");
        Path err = Files.createTempFile(home, "cli", ".err");
        long start = System.nanoTime();
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("sliceplane " + String.join(" ", args) + " did not finish within 120 s");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        try {
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), millis);
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
