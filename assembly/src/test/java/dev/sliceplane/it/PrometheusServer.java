package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's Prometheus server and promtool, run by the tests: a server on loopback with its own
 * configuration and data directory (removed with the test's temporary directory), scraping a node
 * every second. Tests skip when they are missing, and fail under {@code CI=true}, where
 * {@code .ci/run} installs them.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** What promtool said: its exit code and its output (stdout and stderr). */
    record ToolResult(int exitCode, String output) {
    }

    private final Process process;
    private final Path log;
    private final Http http;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.http = new Http(URI.create("http://127.0.0.1:" + port));
    }

    /** Skips the calling test when Prometheus or promtool is missing (fails it under CI=true). */
    static void assumeInstalled() {
        Optional<String> missing = List.of(PROMETHEUS, PROMTOOL).stream().filter(p -> !Files.isExecutable(p))
                .map(p -> p + " is missing; install Debian's prometheus (apt-get install prometheus) to run the "
                        + "Prometheus tests").findFirst();
        if (missing.isEmpty()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(missing.get() + " (.ci/run should have installed it)");
        }
        Assumptions.abort(missing.get());
    }

    /** Runs {@code promtool args...} with {@code stdin} as its input. */
    static ToolResult promtool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool " + args[0] + " did not finish within 60 s");
        }
        return new ToolResult(p.exitValue(), output);
    }

    /** Starts a server in {@code dir} scraping {@code targets} ({@code host:port}) every second; waits until it is ready. */
    static PrometheusServer start(Path dir, String... targets) throws IOException, InterruptedException {
        return startWithJob(dir, """
                    static_configs:
                      - targets: ["%s"]
                """.formatted(String.join("\", \"", targets)));
    }

    /**
     * Starts a server in {@code dir} that finds its targets by HTTP service discovery at {@code url}
     * (refreshed every second) and scrapes them every second; waits until it is ready.
     */
    static PrometheusServer discovering(Path dir, String url) throws IOException, InterruptedException {
        return startWithJob(dir, """
                    http_sd_configs:
                      - url: "%s"
                        refresh_interval: 1s
                """.formatted(url));
    }

    /** Starts a server with one job, {@code sliceplane}, whose target configuration is {@code targetsYaml}. */
    private static PrometheusServer startWithJob(Path dir, String targetsYaml) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: sliceplane
                """ + targetsYaml);
        int port = NodeProcess.freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.http.statusOf("/-/ready") != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("Prometheus did not become ready:\n" + server.log());
            }
            Thread.sleep(100);
        }
        return server;
    }

    /** The result vector of an instant query ({@code data.result}). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        Http.Response r = http.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.status() != 200 || !"success".equals(r.json().path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + r.status() + " " + r.body());
        }
        return r.json().path("data").path("result");
    }

    /** The active scrape targets ({@code data.activeTargets}). */
    JsonNode targets() throws IOException, InterruptedException {
        return http.get("/api/v1/targets?state=active").json().path("data").path("activeTargets");
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
