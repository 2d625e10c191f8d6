package dev.sliceplane.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parsed command line of {@code start}. Flags win over environment variables, which win over
 * the defaults, so a service unit can set the environment and an operator can still override it.
 */
record LaunchOptions(Path dataDir, int httpPort, Path home, boolean stopWhenReady) {

    static final String DATA_DIR_ENV = "SLICEPLANE_DATA_DIR";
    static final String HTTP_PORT_ENV = "SLICEPLANE_HTTP_PORT";
    static final String DEFAULT_DATA_DIR = "var";
    static final int DEFAULT_HTTP_PORT = 8080;

    static final String USAGE = """
            Usage: java -jar lib/dev.sliceplane.launcher.jar start [options]
                   java -jar lib/dev.sliceplane.launcher.jar --help

            Options:
              --data-dir DIR   node state: etc/, deploy/, bundle cache
                               (default: ./var, or $SLICEPLANE_DATA_DIR)
              --http-port N    port of the HTTP API and dashboard, 1-65535
                               (default: 8080, or $SLICEPLANE_HTTP_PORT)
              --home DIR       distribution holding lib/, bundles/ and etc/
                               (default: the parent of the launcher's lib/)
              --stop-when-ready
                               stop cleanly once healthy (for scripts: the build
                               uses it to train the JVM's class-data archive)
            """;

    private static final String DATA_DIR = "--data-dir";
    private static final String HTTP_PORT = "--http-port";
    private static final String HOME = "--home";
    private static final String STOP_WHEN_READY = "--stop-when-ready";
    private static final List<String> VALUED = List.of(DATA_DIR, HTTP_PORT, HOME);

    /** Help wins wherever it appears, so {@code start --help} does not start a node. */
    static boolean isHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return args.length > 0 && args[0].equals("help");
    }

    static LaunchOptions parse(String[] args) throws UsageException {
        return parse(args, System.getenv(), DistributionLayout::defaultHome);
    }

    static LaunchOptions parse(String[] args, Map<String, String> env, Supplier<Path> defaultHome)
            throws UsageException {
        if (args.length == 0) {
            throw new UsageException("missing command (expected 'start')");
        }
        if (!args[0].equals("start")) {
            throw new UsageException("unknown command: " + args[0]);
        }
        Map<String, String> flags = new HashMap<>();
        boolean stopWhenReady = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(STOP_WHEN_READY)) {
                stopWhenReady = true;
                continue;
            }
            int eq = arg.indexOf('=');
            boolean inline = arg.startsWith("--") && eq > 0; // --name=value
            String name = inline ? arg.substring(0, eq) : arg;
            if (!VALUED.contains(name)) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option: " + name
                        : "unexpected argument: " + arg);
            }
            String value;
            if (inline) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "";
            }
            if (value.isBlank()) {
                throw new UsageException("missing value for " + name);
            }
            flags.put(name, value);
        }

        Path dataDir = path(DATA_DIR, first(flags.get(DATA_DIR), env.get(DATA_DIR_ENV), DEFAULT_DATA_DIR));
        int httpPort;
        if (flags.containsKey(HTTP_PORT)) {
            httpPort = port(HTTP_PORT, flags.get(HTTP_PORT));
        } else if (!isBlank(env.get(HTTP_PORT_ENV))) {
            httpPort = port(HTTP_PORT_ENV, env.get(HTTP_PORT_ENV));
        } else {
            httpPort = DEFAULT_HTTP_PORT;
        }
        Path home = flags.containsKey(HOME) ? path(HOME, flags.get(HOME)) : defaultHome.get();
        return new LaunchOptions(dataDir, httpPort, home, stopWhenReady);
    }

    private static String first(String flag, String env, String fallback) {
        if (flag != null) {
            return flag;
        }
        return isBlank(env) ? fallback : env;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static Path path(String source, String value) throws UsageException {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("invalid path for " + source + ": " + e.getReason());
        }
    }

    private static int port(String source, String value) throws UsageException {
        String text = value.trim();
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new UsageException("invalid port for " + source + ": '" + text + "' (expected a number from 1 to 65535)");
    }
}
