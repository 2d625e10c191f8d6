package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Authentication and authorization on a real node: anonymous callers reach only the open routes,
 * bad credentials get 401, a PI without operator rights gets 403 on bundle and swap calls, the
 * administrator created on first start may do everything, and every mutating call lands in the
 * audit log, which survives a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationIT {

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static Http admin;
    static Http anonymous;
    static Http pi;
    static final String PI_EMAIL = "pi@princeton.edu";

    @BeforeAll
    static void start() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        admin = node.http();
        anonymous = node.anonymousHttp();
        assertEquals(201, admin.post("/api/v1/bundles", "application/java-archive", TestBundles.accountsProbe()).status());
        Http.Response made = awaitProbe().postJson("/api/v1/it/accounts/principal?email=" + PI_EMAIL + "&site=princeton", "{}");
        assertEquals(200, made.status(), made.body());
        pi = anonymous.as(node.tokenFor(made.json().get("apiKey").asText()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void anonymousCallersReachOnlyOpenRoutes() throws Exception {
        assertEquals(200, anonymous.get("/api/v1/health").status());
        assertEquals(200, anonymous.get("/metrics").status());
        assertEquals(200, anonymous.get("/api/v1/accounts/jwks.json").status());
        assertEquals(200, anonymous.get("/").status(), "the dashboard page itself is open; its data is not");
        for (String path : List.of("/api/v1/node", "/api/v1/bundles", "/api/v1/services", "/api/v1/vmm",
                "/api/v1/slices", "/api/v1/audit")) {
            Http.Response r = anonymous.get(path);
            assertUnauthorized(r);
        }
        // Unknown paths fall to the dashboard's open default route, which knows nothing there.
        problem(anonymous.get("/api/v1/no/such/route"), 404, "not-found");
        assertUnauthorized(anonymous.post("/api/v1/bundles", "application/java-archive", TestBundles.greeterA()));
        assertUnauthorized(anonymous.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"x\"}"));
        assertUnauthorized(anonymous.method("POST", "/api/v1/health"));
    }

    @Test
    @Order(2)
    void badCredentialsAreRefused() throws Exception {
        assertUnauthorized(anonymous.as("not-a-token").get("/api/v1/node"));
        String token = node.tokenFor(node.adminApiKey());
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        Http.Response forged = anonymous.as(tampered).get("/api/v1/node");
        assertUnauthorized(forged);
        assertTrue(forged.raw().headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        Http.Response basic = anonymous.send(anonymous.request("/api/v1/node")
                .header("Authorization", "Basic YWRtaW46YWRtaW4=").GET().build());
        assertUnauthorized(basic);
    }

    @Test
    @Order(3)
    void aPiMayReadButNotOperateTheNode() throws Exception {
        assertEquals(200, pi.get("/api/v1/node").status());
        assertEquals(200, pi.get("/api/v1/bundles").status());
        assertForbidden(pi.post("/api/v1/bundles", "application/java-archive", TestBundles.greeterA()));
        assertForbidden(pi.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.a\"}"));
        assertForbidden(pi.delete("/api/v1/bundles/1"));
        assertForbidden(pi.get("/api/v1/audit"));
    }

    @Test
    @Order(4)
    void everyMutatingCallIsAuditedAndTheLogSurvivesARestart() throws Exception {
        assertEquals(201, admin.post("/api/v1/bundles", "application/java-archive", TestBundles.greeterApi()).status());
        JsonNode entries = admin.get("/api/v1/audit?limit=1000").json();
        assertTrue(hasEntry(entries, "anonymous", "POST", "/api/v1/bundles", 401, "denied"), entries.toString());
        assertTrue(hasEntry(entries, PI_EMAIL, "POST", "/api/v1/services/greeter/swap", 403, "denied"), entries.toString());
        assertTrue(hasEntry(entries, "admin@sliceplane.local", "POST", "/api/v1/bundles", 201, "ok"), entries.toString());
        assertTrue(entries.get(0).get("time").asText().compareTo(entries.get(entries.size() - 1).get("time").asText()) >= 0,
                "newest first");
        for (JsonNode entry : entries) {
            assertTrue(!entry.get("method").asText().equals("GET"), "reads are not audited: " + entry);
        }
        problem(admin.get("/api/v1/audit?limit=zero"), 400, "bad-request");

        Path file = node.dataDir().resolve("audit").resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertEquals(entries.size(), lines.size(), "every entry is on disk");

        int before = entries.size();
        assertStoppedCleanly(node.stop());
        node = new NodeProcess(node.dataDir(), node.port()).start();
        admin = node.http();
        JsonNode after = admin.get("/api/v1/audit?limit=1000").json();
        // The new admin token's exchange adds entries of its own; the old ones are all still there.
        assertTrue(after.size() > before, "entries before the restart are served after it");
        assertEquals(entries.get(0).toString(), after.get(after.size() - before).toString());
        assertTrue(hasEntry(after, PI_EMAIL, "POST", "/api/v1/services/greeter/swap", 403, "denied"));
    }

    @Test
    @Order(5)
    void operatorsCanCloseTheMetricsToAnonymousCallers() throws Exception {
        Path config = node.dataDir().resolve("etc").resolve("dev.sliceplane.http.auth.cfg");
        Files.writeString(config, "anonymousReads=[\"/api/v1/health\"]\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (anonymous.statusOf("/metrics") != 401) {
            assertTrue(System.nanoTime() < deadline, "/metrics stayed open after the configuration change");
            Thread.sleep(100);
        }
        assertEquals(200, anonymous.statusOf("/api/v1/health"));
        assertEquals(200, admin.get("/metrics").status(), "an authenticated scrape still works");
    }

    private static Http awaitProbe() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (admin.statusOf("/api/v1/it/accounts/ready") != 200) {
            assertTrue(System.nanoTime() < deadline, "the accounts probe never came up\n" + node.log());
            Thread.sleep(50);
        }
        return admin;
    }

    private static boolean hasEntry(JsonNode entries, String caller, String method, String path, int status,
            String outcome) {
        for (JsonNode e : entries) {
            if (e.get("caller").asText().equals(caller) && e.get("method").asText().equals(method)
                    && e.get("path").asText().equals(path) && e.get("status").asInt() == status
                    && e.get("outcome").asText().equals(outcome)) {
                return true;
            }
        }
        return false;
    }

    static void assertUnauthorized(Http.Response r) {
        problem(r, 401, "unauthorized");
        assertTrue(r.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                r.raw().headers().toString());
    }

    static void assertForbidden(Http.Response r) {
        problem(r, 403, "forbidden");
    }

    static JsonNode problem(Http.Response r, int status, String type) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("https://sliceplane.dev/problems/" + type, r.json().get("type").asText(), r.body());
        return r.json();
    }

    static void assertStoppedCleanly(int exitCode) {
        assertTrue(exitCode == 0 || exitCode == 143, "exit code " + exitCode);
    }
}
