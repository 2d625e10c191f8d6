package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two real nodes. A is the all-in-one authority; its administrator registers node B and gets a
 * bootstrap token; B starts with {@code authorityUrl} = A in its {@code etc/} (as an operator
 * writes it), registers, and from then on serves A's tokens and the slices it cached. A stops: B
 * still accepts the token and serves the cache, stale; B restarts while A is down and still does.
 * Both provide the slice-acquisition services their role has: A all five (and registered its own
 * node to sign with), B the three of a node.
 */
class NodeJoinIT {

    static final String B_HOST = "node-b.princeton.edu";
    static final String NODE_CACHE = "/api/v1/accounts/node-cache";
    static final String ACQUISITION = "dev.sliceplane.platform.api.acquisition.";
    static final Set<String> NODE_SERVICES = Set.of(ACQUISITION + "AuthorityKeys", ACQUISITION + "SliceDirectory",
            ACQUISITION + "NodeSigner");
    static final Set<String> AUTHORITY_SERVICES = Set.of(ACQUISITION + "AuthorityKeys", ACQUISITION + "SliceDirectory",
            ACQUISITION + "NodeSigner", ACQUISITION + "NodeDirectory", ACQUISITION + "AgentCertifier");

    @TempDir
    Path tmp;

    private NodeProcess a;
    private NodeProcess b;

    @AfterEach
    void stop() throws Exception {
        for (NodeProcess node : new NodeProcess[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void aNodeJoinsAndKeepsWorkingWhileItsAuthorityIsDown() throws Exception {
        a = new NodeProcess(tmp.resolve("a")).start();
        Http authority = a.http();
        assertEquals(201, authority.post("/api/v1/bundles", "application/java-archive", TestBundles.joinProbe()).status());
        awaitStatus(authority, "/api/v1/it/join", 200);
        Http.Response made = authority.postJson("/api/v1/it/join?hostname=" + B_HOST + "&site=princeton", "{}");
        assertEquals(201, made.status(), made.body());
        String bob = made.json().path("member").asText();

        Http.Response issued = authority.postJson("/api/v1/accounts/nodes/" + B_HOST + "/bootstrap-tokens", "");
        assertEquals(201, issued.status(), issued.body());
        String bootstrapToken = issued.json().path("bootstrapToken").asText();
        assertEquals(404, authority.postJson("/api/v1/accounts/nodes/ghost.princeton.edu/bootstrap-tokens", "").status());
        assertEquals(401, authority.anonymous().postJson("/api/v1/accounts/nodes/" + B_HOST + "/bootstrap-tokens", "").status());

        // B, configured as an operator would before its first start.
        Path bData = tmp.resolve("b");
        Files.createDirectories(bData.resolve("etc"));
        Files.writeString(bData.resolve("etc/dev.sliceplane.accounts.node.cfg"), String.join("\n",
                "authorityUrl = " + authority.base(), "hostname = " + B_HOST, "bootstrapToken = " + bootstrapToken,
                "refreshSeconds = 5", ""));
        Files.writeString(bData.resolve("etc/dev.sliceplane.node.cfg"), "site = princeton\nroles = node\n");
        b = new NodeProcess(bData).start();

        String adminToken = a.tokenFor(a.adminApiKey());
        Http bAsAdmin = b.anonymousHttp().as(adminToken);
        JsonNode cache = bAsAdmin.get(NODE_CACHE).json();
        assertEquals(B_HOST, cache.path("hostname").asText(), cache.toString());
        assertFalse(cache.path("stale").asBoolean(), cache.toString());
        assertSlicesServed(cache, bob);
        assertEquals(401, b.anonymousHttp().get(NODE_CACHE).status(), "B refuses callers without a token");
        assertEquals(200, bAsAdmin.get("/api/v1/bundles").status(), "B accepts A's token on its routes");

        // The acquisition services: all five on the authority, whose own node registered itself with
        // a key (site local, from etc/dev.sliceplane.node.cfg); the three of a node on B.
        awaitAcquisitionServices(authority, AUTHORITY_SERVICES);
        JsonNode ownNodes = authority.get("/api/v1/accounts/nodes?site=local").json();
        assertEquals(1, ownNodes.size(), ownNodes.toString());
        assertEquals(43, ownNodes.get(0).path("identityKey").asText().length(), ownNodes.toString());
        assertEquals("BOOT", ownNodes.get(0).path("bootState").asText(), ownNodes.toString());
        awaitAcquisitionServices(bAsAdmin, NODE_SERVICES);

        // B's monitor measures its clock against A's from the answers to its capacity reports, and
        // its checks find nothing amiss on a joined node, where the agent waits by design for the
        // authority-only services. On A, in-process delivery makes A's clock the reference.
        JsonNode bHealth = awaitCheck(b.anonymousHttp(), "clock", "offset ");
        assertEquals("UP", check(bHealth, "clock").path("status").asText(), bHealth.toString());
        JsonNode references = check(bHealth, "references");
        assertEquals("UP", references.path("status").asText(), bHealth.toString());
        assertFalse(references.path("message").asText().contains("; 0 waiting"),
                "the agent waits for the authority's services: " + references);
        assertEquals("UP", bHealth.path("status").asText(), bHealth.toString());
        // The monitor's node figures carry the offset too (from the sample after the measurement).
        long figuresDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode figures = bAsAdmin.get("/api/v1/monitor/node").json();
        while (!figures.path("clockOffsetSeconds").isNumber()) {
            assertTrue(System.nanoTime() < figuresDeadline, "no clock offset in B's figures: " + figures);
            Thread.sleep(200);
            figures = bAsAdmin.get("/api/v1/monitor/node").json();
        }
        assertTrue(Math.abs(figures.path("clockOffsetSeconds").asDouble()) < 1, "one machine, one clock: " + figures);
        JsonNode samples = awaitCheck(b.anonymousHttp(), "samples", "latest sample");
        assertEquals("UP", check(samples, "samples").path("status").asText(), samples.toString());
        JsonNode aHealth = awaitCheck(a.anonymousHttp(), "clock", "offset +0.000 s ± 0.000 s");
        assertEquals("UP", check(aHealth, "references").path("status").asText(), aHealth.toString());

        // B is no authority: no registry, no signing keys, no JWKS, no administrator of its own.
        assertFalse(Files.exists(bData.resolve("accounts/registry.mv.db")));
        assertFalse(Files.exists(bData.resolve("accounts/keys")));
        assertFalse(Files.exists(bData.resolve("accounts/admin-api-key")));
        assertEquals(404, bAsAdmin.get("/api/v1/accounts/jwks.json").status());

        // A recorded B's key; the token was used up.
        JsonNode registered = authority.get("/api/v1/it/join?hostname=" + B_HOST).json();
        assertEquals(43, registered.path("identityKey").asText().length(), registered.toString());
        assertEquals("BOOT", registered.path("bootState").asText());
        Http.Response again = authority.anonymous().postJson("/api/v1/accounts/node-credentials",
                "{\"hostname\":\"" + B_HOST + "\",\"bootstrapToken\":\"" + bootstrapToken + "\",\"publicKey\":\""
                        + registered.path("identityKey").asText() + "\"}");
        assertEquals(401, again.status(), again.body());

        // B's credential reads B's slices at A, conditionally; it renews; an access token cannot renew.
        String credential = Files.readString(bData.resolve("accounts/node/credential.jws")).strip();
        Http asB = a.anonymousHttp().as(credential);
        Http.Response slices = asB.get("/api/v1/accounts/nodes/" + B_HOST + "/slices");
        assertEquals(200, slices.status(), slices.body());
        String etag = slices.raw().headers().firstValue("ETag").orElseThrow();
        assertEquals(304, asB.send(asB.request("/api/v1/accounts/nodes/" + B_HOST + "/slices")
                .header("If-None-Match", etag).GET().build()).status());
        assertEquals(403, asB.get("/api/v1/accounts/nodes/other.princeton.edu/slices").status());
        assertEquals(201, asB.postJson("/api/v1/accounts/node-credentials/renew", "").status());
        assertEquals(403, authority.postJson("/api/v1/accounts/node-credentials/renew", "").status());

        // A goes away: B goes on with the cache, says it is stale, and stays up.
        a.stop();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!bAsAdmin.get(NODE_CACHE).json().path("stale").asBoolean()) {
            assertTrue(System.nanoTime() < deadline, "B never noticed that A is gone");
            Thread.sleep(200);
        }
        cache = bAsAdmin.get(NODE_CACHE).json();
        assertSlicesServed(cache, bob);
        assertFalse(cache.path("lastError").asText().isEmpty(), cache.toString());
        // Health checks run on their own period, so the stale cache shows at the next run.
        Http.Response health = b.anonymousHttp().get("/api/v1/health");
        while (!health.body().contains("stale")) {
            assertTrue(System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos(), "health never said stale: " + health.body());
            Thread.sleep(200);
            health = b.anonymousHttp().get("/api/v1/health");
        }
        assertEquals(200, health.status(), health.body());

        // B restarts while A is down: the cache and the keys come back from disk.
        b.stop();
        b = new NodeProcess(bData, b.port()).start();
        bAsAdmin = b.anonymousHttp().as(adminToken);
        cache = bAsAdmin.get(NODE_CACHE).json();
        assertSlicesServed(cache, bob);
        assertTrue(cache.path("stale").asBoolean(), cache.toString());
        assertEquals(401, b.anonymousHttp().as(adminToken + "x").get(NODE_CACHE).status());
        assertTrue(b.log().contains("loaded its cache"), b.log());
    }

    /** Waits until the health check {@code name} reports a message starting with {@code prefix}; the health. */
    static JsonNode awaitCheck(Http http, String name, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode health = http.get("/api/v1/health").json();
        while (!check(health, name).path("message").asText().startsWith(prefix)) {
            assertTrue(System.nanoTime() < deadline, "check " + name + " never said '" + prefix + "': " + health);
            Thread.sleep(200);
            health = http.get("/api/v1/health").json();
        }
        return health;
    }

    static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void assertSlicesServed(JsonNode cache, String member) {
        JsonNode slice = cache.path("slices").get(0);
        assertEquals("princeton_codeen", slice.path("name").asText(), cache.toString());
        JsonNode key = slice.path("memberKeys").path(member).get(0);
        assertEquals("ssh-ed25519", key.path("type").asText(), cache.toString());
    }

    /** Waits until the accounts bundle provides exactly {@code expected} of the acquisition services. */
    private static void awaitAcquisitionServices(Http http, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<String> provided = Set.of();
        while (System.nanoTime() < deadline) {
            provided = acquisitionServices(http.get("/api/v1/bundles").json());
            if (provided.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, provided);
    }

    private static Set<String> acquisitionServices(JsonNode bundles) {
        Set<String> services = new HashSet<>();
        for (JsonNode bundle : bundles) {
            if (!bundle.path("symbolicName").asText().equals("dev.sliceplane.accounts")) {
                continue;
            }
            for (JsonNode service : bundle.path("provides")) {
                for (JsonNode objectClass : service.path("objectClass")) {
                    if (objectClass.asText().startsWith(ACQUISITION)) {
                        services.add(objectClass.asText());
                    }
                }
            }
        }
        return services;
    }

    private static void awaitStatus(Http http, String path, int... acceptable) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            int status = http.statusOf(path);
            for (int ok : acceptable) {
                if (status == ok) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer");
    }
}
