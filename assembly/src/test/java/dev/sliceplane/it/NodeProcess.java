package dev.sliceplane.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sliceplane node run the way an operator runs it: the launcher of the built distribution in
 * its own JVM, on a free port and its own data directory. Its output goes to {@code node.log} in
 * the data directory, which the tests print when something fails.
 */
public final class NodeProcess implements AutoCloseable {

    /**
     * Several JVMs booting together on a loaded two-core machine take a while each: one seen here
     * had had 9 s of CPU in its first two minutes, at a load average of 30.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Path DIST = Path.of(System.getProperty("sliceplane.dist", "target/sliceplane")).toAbsolutePath();
    /**
     * The discovery group of this test run's nodes: nodes of ITs running at the same time on this
     * machine (other runs, CI) share JGroups' default ports but never one group.
     */
    private static final String DISCOVERY_GROUP = "it-" + ProcessHandle.current().pid();

    private final Path dataDir;
    private final int port;
    private final Path log;
    private List<String> jvmOptions = List.of("-XX:+UseSerialGC");
    /** The network namespace the node runs in, or null for this process's own. */
    private String networkNamespace;
    /** The address the test reaches the node's HTTP at. */
    private String address = "127.0.0.1";
    private Process process;
    private String adminToken;
    private Instant adminTokenRenewal = Instant.MIN;

    public NodeProcess(Path dataDir) throws IOException {
        this(dataDir, freePort());
    }

    public NodeProcess(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        this.log = dataDir.resolve("node.log");
    }

    /**
     * The JVM flags a benchmark runs its node with: those the {@code sliceplane} launch script
     * gives a node (read from it), so a figure is the product's, unless {@code sliceplane.bench.jvm=jit}
     * asks for the JDK's defaults (with the serial GC), as the other tests run.
     */
    public static List<String> benchmarkJvmOptions() throws IOException {
        if ("jit".equals(System.getProperty("sliceplane.bench.jvm"))) {
            return List.of("-XX:+UseSerialGC");
        }
        Path script = Path.of(System.getProperty("sliceplane.script", "../sliceplane"));
        Matcher m = Pattern.compile("^jvm_opts=\"([^\"]*)\"", Pattern.MULTILINE).matcher(Files.readString(script));
        if (!m.find()) {
            throw new IllegalStateException("no jvm_opts=\"...\" line in " + script);
        }
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** Runs the node's JVM with {@code options} instead of the default {@code -XX:+UseSerialGC}. */
    public NodeProcess jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * Runs the node in the network namespace {@code namespace} (made with {@code ip netns add}),
     * where the test reaches it at {@code address}. It enters only the namespace's network, with
     * {@code nsenter}: {@code ip netns exec} would also mount a fresh /sys, hiding the cgroup
     * hierarchies the node's VMM uses.
     */
    public NodeProcess inNetworkNamespace(String namespace, String address) {
        this.networkNamespace = namespace;
        this.address = address;
        return this;
    }

    /** A process for the same node again (after a stop or a kill): same data directory, port, options and namespace. */
    public NodeProcess again() {
        NodeProcess again = new NodeProcess(dataDir, port).jvmOptions(jvmOptions);
        again.networkNamespace = networkNamespace;
        again.address = address;
        return again;
    }

    /** Starts the node and waits until it reports itself healthy (every endpoint served). */
    public NodeProcess start() throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path discovery = dataDir.resolve("etc/dev.sliceplane.discovery.jgroups.cfg");
        if (!Files.exists(discovery)) {
            Files.createDirectories(discovery.getParent());
            Files.writeString(discovery, "cluster = " + DISCOVERY_GROUP + "\n");
        }
        List<String> command = new ArrayList<>();
        if (networkNamespace != null) {
            // nsenter execs the JVM, so this process is the node's own: a kill reaches the JVM.
            command.addAll(List.of("nsenter", "--net=/run/netns/" + networkNamespace));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", DIST.resolve("lib/dev.sliceplane.launcher.jar").toString(),
                "start", "--data-dir", dataDir.toString(), "--http-port", Integer.toString(port)));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        adminToken = null;
        Http http = anonymousHttp();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int health = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the node exited with " + process.exitValue() + ":\n" + log());
            }
            health = http.statusOf("/api/v1/health");
            if (health == 200) {
                return this;
            }
            Thread.sleep(50);
        }
        String answer = health == -1 ? "no answer" : health + " " + http.get("/api/v1/health").body();
        // A node stuck in its start-up says where with a thread dump.
        threadDump();
        // The caller holds no reference to a node that failed to start, so it would outlive the test.
        String log = log();
        process.destroyForcibly();
        throw new IllegalStateException("the node did not answer within " + START_TIMEOUT.toSeconds()
                + " s (its health: " + answer + "; a thread dump closes its log):\n" + log);
    }

    /** Has the node's JVM print a thread dump into its log (SIGQUIT), and gives it a second to. */
    public void threadDump() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(1000);
    }

    /** Waits until {@code /api/v1/health} answers 200. */
    public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (anonymousHttp().statusOf("/api/v1/health") == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the node did not become healthy:\n" + anonymousHttp().get("/api/v1/health").body());
    }

    /** Stops the node as Ctrl-C would (SIGTERM) and waits for it to exit; returns its exit code. */
    public int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the node did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills the node's JVM with SIGKILL, as a crash or an operator's {@code kill -9} would; slivers stay. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** CPU time the node's process has used so far, from /proc, in seconds. */
    public double cpuSeconds() throws IOException {
        String[] fields = fieldsAfterName(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /** Names of the node's threads that run in a real-time scheduling class (policy 1 or 2) now. */
    public List<String> realtimeThreads() throws IOException {
        List<String> realtime = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String policy = fieldsAfterName(stat)[41 - 3];
                if (policy.equals("1") || policy.equals("2")) {
                    realtime.add(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + " (" + task.getFileName() + ")");
                }
            }
        }
        return realtime;
    }

    /**
     * The fields of a {@code proc(5)} stat line after the command name, whose parentheses may hold
     * spaces: index 0 is field 3 (the state).
     */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** A client calling as the administrator the node created on first start. */
    public Http http() {
        return new Http(base(), this::adminToken);
    }

    /** A client calling without a credential. */
    public Http anonymousHttp() {
        return new Http(base());
    }

    private URI base() {
        return URI.create("http://" + address + ":" + port);
    }

    /** The administrator's API key, which the node writes once its registry is open. */
    public String adminApiKey() {
        Path file = dataDir.resolve("accounts").resolve("admin-api-key");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!Files.exists(file)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the node wrote no administrator API key to " + file + ":\n" + log());
                }
                Thread.sleep(50);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A token for {@code apiKey} from the node's token exchange. */
    public String tokenFor(String apiKey) {
        try {
            Http.Response r = anonymousHttp().postJson("/api/v1/accounts/tokens", "{\"apiKey\":\"" + apiKey + "\"}");
            if (r.status() != 201) {
                throw new IllegalStateException("no token for the API key: " + r.status() + " " + r.body());
            }
            return r.json().get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The administrator's token, fetched once and again a minute before it expires. */
    private synchronized String adminToken() {
        if (adminToken == null || Instant.now().isAfter(adminTokenRenewal)) {
            adminToken = tokenFor(adminApiKey());
            adminTokenRenewal = Instant.now().plus(Duration.ofMinutes(10));
        }
        return adminToken;
    }

    /** The address the node's HTTP is reached at: loopback, or its address in its network namespace. */
    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path deployDir() {
        return dataDir.resolve("deploy");
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
