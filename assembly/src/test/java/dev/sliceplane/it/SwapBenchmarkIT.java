package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Swap latency, under load by default, printed as figures for docs/benchmarks.md. Not part of the normal
 * test run: {@code mvn -B verify -pl assembly -Dit.test=SwapBenchmarkIT -Dsliceplane.bench=true}
 * (optionally {@code -Dsliceplane.bench.swaps=200} after {@code -Dsliceplane.bench.warmups=10};
 * {@code -Dsliceplane.bench.load=false} swaps with no load threads and no HTTP callers, to see the
 * rebind without competition for the CPUs; under load, {@code -Dsliceplane.bench.loadThreads=N} (2)
 * threads in the node call the greeter in a loop and {@code -Dsliceplane.bench.httpCallers=N} (4) call
 * it over HTTP). The node runs with the launch script's JVM flags, as an operator's does
 * ({@code -Dsliceplane.bench.jvm=jit} for the JDK's defaults).
 */
@EnabledIfSystemProperty(named = "sliceplane.bench", matches = "true")
class SwapBenchmarkIT {

    /** Kept when the benchmark fails: the node's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void swapLatencyUnderLoad() throws Exception {
        int swaps = Integer.getInteger("sliceplane.bench.swaps", 200);
        int warmups = Integer.getInteger("sliceplane.bench.warmups", 10);
        boolean load = !"false".equals(System.getProperty("sliceplane.bench.load"));
        int loadThreads = load ? Integer.getInteger("sliceplane.bench.loadThreads", 2) : 0;
        int httpCallers = load ? Integer.getInteger("sliceplane.bench.httpCallers", 4) : 0;
        List<String> jvm = NodeProcess.benchmarkJvmOptions();
        try (NodeProcess node = new NodeProcess(tmp.resolve("node")).jvmOptions(jvm).start()) {
            Http http = node.http();
            for (byte[] bundle : new byte[][] {TestBundles.greeterApi(), TestBundles.greeterA(), TestBundles.greeterB(),
                    TestBundles.greeterConsumer()}) {
                assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", bundle).status());
            }
            SwapIT.http = http;
            SwapIT.node = node;
            SwapIT.awaitGreeting("a:world");
            http.post("/api/v1/it/greeter/load?threads=" + loadThreads, "text/plain", new byte[0]);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong httpCalls = new AtomicLong();
            AtomicLong httpFailures = new AtomicLong();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < httpCallers; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        httpCalls.incrementAndGet();
                        if (http.statusOf("/api/v1/it/greeter/greet") != 200) {
                            httpFailures.incrementAndGet();
                        }
                    }
                });
                t.start();
                callers.add(t);
            }
            // The first swaps run code for the first time (the JIT compiles it as they go): they are
            // reported apart, and the figures below are of the swaps after them.
            for (int i = 0; i < warmups; i++) {
                assertEquals(200, swap(node, http, i).status());
            }
            JsonNode cold = http.get("/api/v1/it/greeter/stats").json().get("rebindNanos");
            List<Long> total = new ArrayList<>();
            List<Long> confirmed = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = warmups; i < warmups + swaps; i++) {
                Http.Response swap = swap(node, http, i);
                assertEquals(200, swap.status(), swap.body());
                total.add(swap.json().get("totalMicros").asLong());
                confirmed.add(swap.json().get("rebindMicros").asLong());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            for (Thread t : callers) {
                t.join();
            }
            JsonNode stats = http.delete("/api/v1/it/greeter/load").json();

            if (!cold.isEmpty()) {
                System.out.println("BENCH warm-up: " + cold.size() + " swaps, the first one's rebind at the consumer µs "
                        + cold.get(0).asLong() / 1000);
            }
            String condition = load ? "under load of " + loadThreads + " threads and " + httpCallers + " HTTP callers"
                    : "without load";
            System.out.printf("BENCH swaps=%d in %.1f s %s (%d HTTP calls, %d failed; %d direct calls, %d failed; "
                    + "consumer activations %d)%n", swaps, seconds, condition,
                    httpCalls.get(), httpFailures.get(),
                    stats.get("calls").asLong(), stats.get("failures").asLong(), stats.get("activations").asInt());
            System.out.println("BENCH node JVM flags " + String.join(" ", jvm));
            System.out.println("BENCH swap total µs            " + summary(total));
            System.out.println("BENCH rebind confirmed µs      " + summary(confirmed));
            List<Long> consumerSide = new ArrayList<>();
            stats.get("rebindNanos").forEach(n -> consumerSide.add(n.asLong() / 1000));
            consumerSide.subList(0, Math.min(cold.size(), consumerSide.size())).clear();
            System.out.println("BENCH rebind at the consumer µs " + summary(consumerSide)
                    + " (registration dispatched → consumer's bind method)");
            List<Long> runQueue = new ArrayList<>();
            stats.get("rebindRunQueueNanos").forEach(n -> runQueue.add(n.asLong() / 1000));
            runQueue.subList(0, Math.min(cold.size(), runQueue.size())).clear();
            System.out.println("BENCH of it waiting for a CPU µs " + summary(runQueue)
                    + " (the dispatching thread's run-queue time during the rebind)");
            System.out.println("BENCH last failed call: " + stats.get("lastFailure").asText());
        }
    }

    /**
     * Swap number {@code i}: to b when even, back to a when odd. A failed swap leaves a thread
     * dump in the node's log, which the failed benchmark keeps.
     */
    private static Http.Response swap(NodeProcess node, Http http, int i) throws Exception {
        String to = i % 2 == 0 ? "it.greeter.b" : "it.greeter.a";
        Http.Response response = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"" + to + "\"}");
        if (response.status() != 200) {
            node.threadDump();
        }
        return response;
    }

    private static String summary(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "n=0";
        }
        return String.format("n=%d p50=%d p99=%d max=%d", sorted.size(), at(sorted, 0.50), at(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static long at(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
