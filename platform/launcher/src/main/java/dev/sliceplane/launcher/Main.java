package dev.sliceplane.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Entry point of a Sliceplane node: parses the command line, prepares the data directory,
 * starts Felix with the distribution's bundles and waits until the framework stops.
 * Exit codes: 0 stopped, 1 could not start, 2 bad command line.
 */
public final class Main {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String FALLBACK_VERSION = "0.1.0";

    private final LaunchOptions options;
    private final ProblemReporter problems;
    private final boolean console;
    private final String version;
    /** Guarded by this: stopping happens once, from main or the shutdown hook. */
    private boolean stopped;

    private Main(LaunchOptions options, ProblemReporter problems, boolean console, String version) {
        this.options = options;
        this.problems = problems;
        this.console = console;
        this.version = version;
    }

    public static void main(String[] args) {
        if (LaunchOptions.isHelp(args)) {
            System.out.print(LaunchOptions.USAGE);
            return;
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("sliceplane: " + e.getMessage());
            System.err.print(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        String version = Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse(FALLBACK_VERSION);
        ProblemReporter problems = new ProblemReporter(System.err, Boolean.getBoolean("sliceplane.debug"));
        int status;
        try {
            status = new Main(options, problems, System.console() != null, version).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        // Also runs the shutdown hook, which stops the framework if it still runs.
        System.exit(status);
    }

    private int run() throws InterruptedException {
        JdkPreinitializer.start();
        int port = options.httpPort();
        DistributionLayout layout;
        try {
            // The real path keeps bundle locations stable however the home is reached.
            layout = new DistributionLayout(options.home().toRealPath(), options.dataDir());
        } catch (IOException e) {
            problems.report("no distribution at " + options.home() + "; point --home at it");
            return 1;
        }
        if (!Files.isDirectory(layout.bundlesDir())) {
            problems.report("no bundles/ directory in " + layout.home() + "; point --home at the distribution");
            return 1;
        }
        if (!isPortFree(port)) {
            problems.report("port " + port + " is already in use; pick another with --http-port");
            return 1;
        }

        Framework framework;
        try {
            layout.prepareDataDir();
            setLoggingDefaults();
            framework = newFramework(FrameworkProperties.build(layout, port, version, console), problems);
            framework.init();
            framework.getBundleContext().addFrameworkListener(problems);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework, System.out), "sliceplane-shutdown"));
            new BundleReconciler(framework.getBundleContext(), layout.bundlesDir(), problems).reconcile();
            // One resolution of every bundle instead of one per bundle as the start-level thread
            // starts them: ~25 ms and ~50 ms of CPU less per boot. A bundle that does not resolve
            // stays INSTALLED and fails when started, as before.
            framework.adapt(FrameworkWiring.class).resolveBundles(null);
            framework.start();
        } catch (IOException e) {
            problems.report("cannot prepare the node: " + e.getClass().getSimpleName(), e);
            return 1;
        } catch (BundleException | RuntimeException e) {
            problems.report("the framework did not start", e);
            return 1;
        }

        Optional<URI> endpoint = HttpEndpoint.await(framework, HTTP_TIMEOUT, port);
        if (endpoint.isPresent()) {
            boolean healthy = HealthProbe.awaitHealthy(framework, endpoint.get(), HTTP_TIMEOUT);
            if (!healthy) {
                problems.report("the node is up but not healthy yet; see " + endpoint.get().resolve("api/v1/health"));
            }
            System.out.print(StartupBanner.render(version, sinceJvmStart(), endpoint.get(), layout.dataDir()));
            System.out.flush();
            if (options.stopWhenReady()) {
                stop(framework, System.out);
                return healthy ? 0 : 1;
            }
            if (console) {
                startShell(framework);
            }
        } else if (framework.getState() == Bundle.ACTIVE) {
            problems.report("HTTP did not start on port " + port + " (is the port in use?)");
            stop(framework, System.out);
            return 1;
        }
        framework.waitForStop(0);
        return 0;
    }

    /** After the banner, so the prompt comes last; without a terminal the shell must be absent. */
    private void startShell(Framework framework) {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (BundleReconciler.SHELL.equals(bundle.getSymbolicName())) {
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (BundleException | RuntimeException e) {
                    problems.report("the shell did not start", e);
                }
            }
        }
    }

    /** Checked before anything starts, so a busy port costs no framework start and no timeout. */
    private static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Jetty does: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * slf4j-simple reads system properties when the first logger is made; flags given on the
     * java command line win.
     */
    private static void setLoggingDefaults() {
        Map<String, String> defaults = Map.of(
                "org.slf4j.simpleLogger.defaultLogLevel", "warn",
                "org.slf4j.simpleLogger.log.dev.sliceplane", "info",
                "org.slf4j.simpleLogger.showDateTime", "true",
                "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        defaults.forEach(System.getProperties()::putIfAbsent);
    }

    static Framework newFramework(Map<String, String> properties, ProblemReporter problems) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/org.apache.felix.framework.jar)"));
        Map<String, Object> config = new HashMap<>(properties);
        config.put("felix.log.logger", new FelixLogger(problems));
        return factory.newFramework(asStrings(config));
    }

    /** Felix accepts a logger object among its properties, although the OSGi API types them as strings. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> asStrings(Map<String, Object> config) {
        return (Map) config;
    }

    /**
     * The JVM's own start time: {@code ProcessHandle}'s start instant is derived from the boot
     * time in whole seconds on Linux, too coarse for a start-up figure.
     */
    private static Duration sinceJvmStart() {
        return Duration.ofMillis(System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** Bounded, so Ctrl-C never hangs; a second signal just waits for this to finish. */
    private synchronized void stop(Framework framework, PrintStream out) {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT.toMillis());
        } catch (BundleException e) {
            problems.report("stopping the framework failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("Sliceplane stopped.");
    }
}
