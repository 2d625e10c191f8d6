package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Live swapping on a real node: a sub-service with two implementations and a consumer, installed
 * through the HTTP API, swapped back and forth under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwapIT {

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static Http http;

    @BeforeAll
    static void startNodeWithGreeters() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        http = node.http();
        install(TestBundles.greeterApi());
        install(TestBundles.greeterA());
        install(TestBundles.greeterB());
        install(TestBundles.greeterConsumer());
        install(TestBundles.greeterObserver());
        install(TestBundles.coreThing());
        awaitGreeting("a:world");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            assertStoppedCleanly(node.stop());
        }
    }

    @Test
    @Order(1)
    void catalogueListsBothImplementationsWithTheDefaultActive() throws Exception {
        JsonNode greeter = http.get("/api/v1/services/greeter").json();
        assertEquals("it.greeter.a", greeter.get("active").asText());
        assertEquals(2, greeter.get("implementations").size());
        assertEquals("RESOLVED", implementation(greeter, "it.greeter.b").get("bundleState").asText(),
                "the alternative is installed but not running");
    }

    @Test
    @Order(2)
    void swapsUnderLoadWithoutFailedCallsOrConsumerReactivation() throws Exception {
        JsonNode before = http.get("/api/v1/it/greeter/stats").json();
        assertEquals(202, http.post("/api/v1/it/greeter/load?threads=2", "text/plain", new byte[0]).status());
        // Real consumers do work in their bind methods: each rebind takes longer than the swap's quiet after the ranking-up.
        assertEquals(200, http.post("/api/v1/it/greeter/bind-work?millis=5", "text/plain", new byte[0]).status());

        // HTTP callers too, as researchers calling a sub-service through the API would be.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong httpCalls = new AtomicLong();
        AtomicLong httpFailures = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    int status = http.statusOf("/api/v1/it/greeter/greet");
                    httpCalls.incrementAndGet();
                    if (status != 200) {
                        httpFailures.incrementAndGet();
                    }
                }
            });
            t.start();
            callers.add(t);
        }

        int swaps = 10;
        List<Long> rebindMicros = new ArrayList<>();
        for (int i = 0; i < swaps; i++) {
            Thread.sleep(150);
            String to = i % 2 == 0 ? "it.greeter.b" : "it.greeter.a";
            Http.Response swap = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"" + to + "\"}");
            assertEquals(200, swap.status(), swap.body());
            assertEquals(to, swap.json().get("to").asText());
            rebindMicros.add(swap.json().get("rebindMicros").asLong());
        }
        Thread.sleep(150);
        running.set(false);
        for (Thread t : callers) {
            t.join();
        }
        JsonNode after = http.delete("/api/v1/it/greeter/load").json();
        assertEquals(200, http.post("/api/v1/it/greeter/bind-work?millis=0", "text/plain", new byte[0]).status());

        long calls = after.get("calls").asLong() - before.get("calls").asLong();
        assertEquals(0, after.get("failures").asLong() - before.get("failures").asLong(),
                "failed calls during swaps; last failure: " + after.get("lastFailure").asText() + "\n" + node.log());
        assertEquals(0, httpFailures.get(), "failed HTTP calls during swaps");
        assertEquals(before.get("activations").asInt(), after.get("activations").asInt(),
                "the consumer was re-activated by a swap");
        assertEquals(swaps, after.get("binds").asLong() - before.get("binds").asLong(),
                "the consumer rebinds once per swap");
        assertTrue(after.get("answeredBy").get("b").asLong() > 0, "implementation b answered calls");
        assertTrue(calls > 10_000, "load generated only " + calls + " calls");
        assertTrue(httpCalls.get() > 100, "HTTP load made only " + httpCalls.get() + " calls");
        System.out.printf("swap under load: %d direct calls, %d HTTP calls, 0 failures; rebind µs %s%n",
                calls, httpCalls.get(), rebindMicros);
        assertRebindsRanRealtimeWherePermitted(before, after, swaps);
        // The consumers heard each ranking-up alone; a bundle that only listens hears it after.
        JsonNode observed = http.get("/api/v1/it/greeter-observer").json();
        assertEquals(1, observed.get("registered").size(), observed.toString());
        assertEquals(observed.get("registered"), observed.get("heard"),
                "a listener that consumes no greeter knows every greeter service at its ranking");
        awaitGreeting("a:world");
    }

    /**
     * Where the node may make a thread real-time (root on Linux) it says so, the consumer's rebinds
     * ran on a real-time thread, and no thread stays real-time after the swaps; elsewhere the
     * rebinds ran at normal priority.
     */
    private static void assertRebindsRanRealtimeWherePermitted(JsonNode before, JsonNode after, int swaps) throws Exception {
        boolean realtime = node.log().contains("swaps deliver their ranking-up on a real-time thread");
        assertTrue(realtime || node.log().contains("swaps rebind at normal priority"), node.log());
        String policy = realtime ? "1" : "0";
        JsonNode was = before.get("rebindPolicies");
        long onPolicy = after.get("rebindPolicies").path(policy).asLong() - was.path(policy).asLong();
        assertEquals(swaps, onPolicy, "rebinds by scheduling policy " + after.get("rebindPolicies") + " (before "
                + was + "), expected all on policy " + policy + "\n" + node.log());
        assertEquals(List.of(), node.realtimeThreads(), "threads left real-time after the swaps");
        System.out.println("swap under load: rebinds ran " + (realtime ? "real-time" : "at normal priority"));
    }

    @Test
    @Order(3)
    void aCallInFlightAcrossTheRebindStillReachesTheOldImplementation() throws Exception {
        // The call picks up greeter a and calls it just after the swap has rebound the consumer to b:
        // within the drain, so a must still answer.
        java.util.concurrent.CompletableFuture<Http.Response> call = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return http.get("/api/v1/it/greeter/greet?acrossRebindMillis=10000");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (http.get("/api/v1/it/greeter/stats").json().get("pausedCalls").asInt() == 0) {
            assertTrue(System.nanoTime() < deadline, "the paused call never started");
            Thread.sleep(2);
        }
        assertEquals(200, http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.b\"}").status());
        Http.Response answer = call.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, answer.status(), "the in-flight call failed: " + answer.body());
        assertEquals("a:world", answer.json().get("greeting").asText());
        assertTrue(answer.json().get("rebound").asBoolean(), "the swap rebound the consumer while the call paused");

        assertEquals(200, http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.a\"}").status());
        awaitGreeting("a:world");
    }

    @Test
    @Order(4)
    void refusesUnknownImplementationsServicesAndCoreSwaps() throws Exception {
        Http.Response unknownImpl = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.zzz\"}");
        assertProblem(unknownImpl, 422, "unknown-implementation");
        Http.Response unknownService = http.postJson("/api/v1/services/nosuch/swap", "{\"implementation\":\"x\"}");
        assertProblem(unknownService, 404, "unknown-service");
        Http.Response core = http.postJson("/api/v1/services/corething/swap", "{\"implementation\":\"it.corething\"}");
        assertProblem(core, 409, "core-service");
        Http.Response same = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.a\"}");
        assertProblem(same, 409, "already-active");
        Http.Response missingField = http.postJson("/api/v1/services/greeter/swap", "{}");
        assertProblem(missingField, 400, "bad-request");
        assertEquals("it.greeter.a", http.get("/api/v1/services/greeter").json().get("active").asText());
        assertEquals("a:world", http.get("/api/v1/it/greeter/greet").json().get("greeting").asText());
    }

    @Test
    @Order(5)
    void refusesBadBundlesAndLeavesTheNodeUnchanged() throws Exception {
        int bundlesBefore = http.get("/api/v1/bundles").json().size();

        Http.Response notAJar = http.post("/api/v1/bundles", "application/java-archive", "hello".getBytes());
        assertProblem(notAJar, 422, "not-a-bundle");

        Http.Response unresolvable = http.post("/api/v1/bundles", "application/java-archive", TestBundles.unresolvable());
        assertProblem(unresolvable, 422, "unresolved");
        assertTrue(unresolvable.json().get("detail").asText().contains("com.example.missing"), unresolvable.body());

        Http.Response duplicate = http.post("/api/v1/bundles", "application/java-archive", TestBundles.greeterB());
        assertProblem(duplicate, 409, "conflict");

        Http.Response wrongType = http.post("/api/v1/bundles", "text/plain", TestBundles.greeterB());
        assertProblem(wrongType, 415, "unsupported-media-type");

        assertEquals(bundlesBefore, http.get("/api/v1/bundles").json().size(), "nothing was left installed");
        assertEquals("a:world", http.get("/api/v1/it/greeter/greet").json().get("greeting").asText());
    }

    @Test
    @Order(6)
    void bundlesReportProvidedAndConsumedServices() throws Exception {
        JsonNode consumer = bundle("it.greeter.consumer");
        JsonNode reference = null;
        for (JsonNode ref : consumer.get("consumes")) {
            if (ref.get("service").asText().endsWith(".Greeter")) {
                reference = ref;
            }
        }
        assertTrue(reference != null, "the consumer's greeter reference is listed: " + consumer);
        assertTrue(reference.get("satisfied").asBoolean());
        assertEquals("dynamic", reference.get("policy").asText());
        long boundTo = reference.get("boundTo").get(0).asLong();
        JsonNode a = bundle("it.greeter.a");
        boolean providesBound = false;
        for (JsonNode service : a.get("provides")) {
            providesBound |= service.get("serviceId").asLong() == boundTo;
        }
        assertTrue(providesBound, "the reference is bound to a service of the active implementation");
        assertEquals("mgmt_greeter", a.get("slice").asText());
    }

    @Test
    @Order(7)
    void uninstallRefusesTheActiveImplementationAndRemovesOthers() throws Exception {
        long a = bundle("it.greeter.a").get("id").asLong();
        assertProblem(http.delete("/api/v1/bundles/" + a), 409, "conflict");
        assertProblem(http.delete("/api/v1/bundles/0"), 409, "conflict");
        assertProblem(http.delete("/api/v1/bundles/99999"), 404, "not-found");
        assertProblem(http.delete("/api/v1/bundles/abc"), 400, "bad-request");
        long core = bundle("it.corething").get("id").asLong();
        assertEquals(204, http.delete("/api/v1/bundles/" + core).status());
        assertEquals(404, http.get("/api/v1/bundles/" + core).status());
    }

    @Test
    @Order(8)
    void theActiveChoiceSurvivesARestart() throws Exception {
        assertEquals(200, http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.b\"}").status());
        awaitGreeting("b:world");
        assertStoppedCleanly(node.stop());

        node = new NodeProcess(node.dataDir(), node.port()).start();
        http = node.http();
        awaitGreeting("b:world");
        JsonNode greeter = http.get("/api/v1/services/greeter").json();
        assertEquals("it.greeter.b", greeter.get("active").asText());
        String oldState = implementation(greeter, "it.greeter.a").get("bundleState").asText();
        assertTrue(oldState.equals("RESOLVED") || oldState.equals("INSTALLED"),
                "the old implementation stays stopped after the restart, but is " + oldState);
    }

    @Test
    @Order(9)
    void aSubServiceWhoseImplementationWaitsForAServiceRunsWhenItComes() throws Exception {
        // The only implementation of "latecomer" requires a service that comes after the swap
        // manager's 10 s timeout, as the JGroups discovery of a loaded node waits for the
        // registry. The manager starts it and leaves it waiting: it must not give up on it.
        install(TestBundles.gate());
        install(TestBundles.latecomer());
        String latecomer = "dev.sliceplane.it.bundles.gate.Latecomer";
        long waitUntil = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        Thread.sleep(1000);
        while (System.nanoTime() < waitUntil) {
            JsonNode service = http.get("/api/v1/services/latecomer").json();
            assertEquals("ACTIVE", implementation(service, "it.latecomer").get("bundleState").asText(),
                    "started and never stopped while it waits: " + service);
            Thread.sleep(200);
        }
        assertTrue(!provided("it.latecomer").contains(latecomer), "nothing registered before the gate opens");
        assertTrue(!node.log().contains("cannot activate it.latecomer"), node.log());

        Files.createFile(node.dataDir().resolve("gate-open"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!provided("it.latecomer").contains(latecomer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(provided("it.latecomer").contains(latecomer), bundle("it.latecomer").toString());
        assertEquals("it.latecomer", http.get("/api/v1/services/latecomer").json().path("active").asText());
    }

    /**
     * A swap used to change the incoming implementation's configuration twice, to a standby
     * ranking and then to the ranking-up. The component runtime reads a changed configuration's
     * properties and then its change count; when the ranking-up landed between the two reads of
     * the first change, it took the standby ranking with the ranking-up's count, ignored the
     * ranking-up's own event, and the swap timed out. The test bundle lines that moment up.
     */
    @Test
    @Order(10)
    void aSwapSurvivesTheComponentRuntimeReadingAConfigurationSlowly() throws Exception {
        assertEquals("it.greeter.b", http.get("/api/v1/services/greeter").json().get("active").asText());
        install(TestBundles.slowConfigurationRead());
        Thread.sleep(1000); // until the bundle keeps Configuration Admin's event thread busy
        Http.Response swap = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.a\"}");
        assertEquals(200, swap.status(), swap.body() + "\n" + node.log());
        awaitGreeting("a:world");
    }

    /** SIGTERM ends the JVM with 143 by convention; what matters is the clean shutdown it logged. */
    static void assertStoppedCleanly(int exitCode) {
        assertTrue(exitCode == 0 || exitCode == 143, "exit code " + exitCode);
        assertTrue(node.log().contains("Sliceplane stopped."), node.log());
    }

    static void install(byte[] bundle) throws Exception {
        Http.Response response = http.post("/api/v1/bundles", "application/java-archive", bundle);
        assertEquals(201, response.status(), response.body());
    }

    static void awaitGreeting(String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Http.Response r = http.get("/api/v1/it/greeter/greet");
            if (r.status() == 200) {
                last = r.json().get("greeting").asText();
                if (last.equals(expected)) {
                    return;
                }
            } else {
                last = r.status() + " " + r.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected greeting " + expected + ", last answer " + last + "\n" + node.log());
    }

    static JsonNode bundle(String symbolicName) throws Exception {
        for (JsonNode b : http.get("/api/v1/bundles").json()) {
            if (b.get("symbolicName").asText().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** The interfaces of the services a bundle has registered. */
    static List<String> provided(String symbolicName) throws Exception {
        List<String> interfaces = new ArrayList<>();
        for (JsonNode service : bundle(symbolicName).get("provides")) {
            service.get("objectClass").forEach(name -> interfaces.add(name.asText()));
        }
        return interfaces;
    }

    static JsonNode implementation(JsonNode service, String symbolicName) {
        for (JsonNode impl : service.get("implementations")) {
            if (impl.get("symbolicName").asText().equals(symbolicName)) {
                return impl;
            }
        }
        throw new AssertionError("no implementation " + symbolicName + " in " + service);
    }

    static void assertProblem(Http.Response response, int status, String type) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertEquals("https://sliceplane.dev/problems/" + type, response.json().get("type").asText(), response.body());
        assertTrue(!response.body().contains("\tat "), "no stack trace in " + response.body());
    }
}
