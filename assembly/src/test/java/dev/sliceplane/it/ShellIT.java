package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's shell: on a terminal the node opens the Gogo shell, whose {@code sliceplane:*}
 * commands do what the HTTP API does. The terminal is a pseudo-terminal from util-linux's
 * {@code script}, so the launcher sees a console exactly as it would for a person.
 */
@EnabledOnOs(OS.LINUX)
class ShellIT {

    @TempDir
    Path tmp;

    @Test
    void shellCommandsListSwapAndReport() throws Exception {
        int port = NodeProcess.freePort();
        Path data = tmp.resolve("node");
        Path out = tmp.resolve("shell.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String launcher = Path.of(System.getProperty("sliceplane.dist", "target/sliceplane"))
                .resolve("lib/dev.sliceplane.launcher.jar").toAbsolutePath().toString();
        String command = java + " -jar " + launcher + " start --data-dir " + data + " --http-port " + port;
        Process shell = new ProcessBuilder(List.of("script", "-qfc", command, "/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            // Not started through NodeProcess (the shell needs a terminal), but its files are the same.
            NodeProcess node = new NodeProcess(data, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (node.anonymousHttp().statusOf("/api/v1/health") != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Http http = node.http();
            for (byte[] bundle : new byte[][] {TestBundles.greeterApi(), TestBundles.greeterA(), TestBundles.greeterB(),
                    TestBundles.greeterConsumer()}) {
                assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", bundle).status());
            }
            awaitActive(http, "it.greeter.a");
            // The greeter's client endpoint came up just now; health takes a few runs to say so.
            node.awaitHealthy(Duration.ofSeconds(60));

            OutputStream in = shell.getOutputStream();
            for (String line : List.of("sliceplane:services", "sliceplane:swap greeter it.greeter.b",
                    "sliceplane:slices", "sliceplane:health", "sliceplane:swap greeter nosuch",
                    "vmm:create it_shell cpu=0.5 memory=64MiB", "vmm:launch it_shell sleep 300", "vmm:slivers",
                    "vmm:halt it_shell 1", "vmm:destroy it_shell", "vmm:create it_shell ram=1GiB")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                Thread.sleep(700);
            }
            String text = Files.readString(out);
            assertTrue(text.contains("*it.greeter.a"), "services lists the active implementation:\n" + text);
            assertTrue(text.contains("greeter: it.greeter.a -> it.greeter.b"), "swap reports what it did:\n" + text);
            assertTrue(text.contains("mgmt_platform"), "slices lists the platform slice:\n" + text);
            assertTrue(text.contains("node: UP"), "health reports the node:\n" + text);
            assertTrue(text.contains("is not an installed implementation of greeter"), "a bad swap says why:\n" + text);
            assertTrue(text.contains("created it_shell (cpu=0.5 memory=64.0MiB)"), "vmm:create:\n" + text);
            assertTrue(text.matches("(?s).*it_shell\\s+RUNNING.*"), "vmm:slivers shows it running:\n" + text);
            assertTrue(text.contains("destroyed it_shell"), "vmm:destroy:\n" + text);
            assertTrue(text.contains("unknown limit 'ram'"), "a bad limit says why:\n" + text);
            assertEquals(404, http.get("/api/v1/vmm/slivers/it_shell").status());
            assertEquals("it.greeter.b", http.get("/api/v1/services/greeter").json().get("active").asText());

            in.write("stop 0\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell's stop 0 stops the node");
            assertTrue(Files.readString(out).contains("Sliceplane stopped."));
        } finally {
            shell.destroyForcibly();
        }
    }

    private static void awaitActive(Http http, String implementation) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Http.Response r = http.get("/api/v1/services/greeter");
            if (r.status() == 200 && implementation.equals(r.json().path("active").asText())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(implementation + " did not become active");
    }
}
