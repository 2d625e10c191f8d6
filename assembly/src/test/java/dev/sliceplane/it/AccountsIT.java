package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Accounts credentials in the assembled node: the authority's key is created owner-only under the
 * data directory and survives a restart, the JWKS is served, an API key (made through a probe
 * bundle that calls the Registry and Credentials services) is exchanged for a token over HTTP,
 * and jose4j, fetching the served JWKS itself, verifies that token. Bad requests get problem bodies.
 */
class AccountsIT {

    static final String JWKS = "/api/v1/accounts/jwks.json";
    static final String TOKENS = "/api/v1/accounts/tokens";

    @TempDir
    Path tmp;

    private NodeProcess node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void apiKeyForTokenVerifiedByAnIndependentJoseLibrary() throws Exception {
        Path data = tmp.resolve("node");
        node = new NodeProcess(data).start();
        Http http = node.http();

        Http.Response jwks = http.get(JWKS);
        assertEquals(200, jwks.status(), jwks.body());
        assertTrue(jwks.contentType().startsWith("application/jwk-set+json"), jwks.contentType());
        assertTrue(jwks.raw().headers().firstValue("Cache-Control").orElse("").matches("public, max-age=\\d+"),
                jwks.raw().headers().toString());
        JsonNode key = jwks.json().path("keys").get(0);
        assertEquals(1, jwks.json().path("keys").size(), jwks.body());
        assertEquals("OKP", key.path("kty").asText());
        assertEquals("Ed25519", key.path("crv").asText());
        assertEquals("EdDSA", key.path("alg").asText());
        assertEquals("sig", key.path("use").asText());
        String kid = key.path("kid").asText();

        Path keys = data.resolve("accounts/keys");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        try (Stream<Path> files = Files.list(keys)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }

        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.accountsProbe()).status());
        awaitStatus(http, "/api/v1/it/accounts/ready", 200);
        Http.Response made = http.postJson("/api/v1/it/accounts/principal?email=alice@princeton.edu&site=princeton", "{}");
        assertEquals(200, made.status(), made.body());
        String apiKey = made.json().path("apiKey").asText();

        Http.Response issued = http.postJson(TOKENS, "{\"apiKey\": \"" + apiKey + "\"}");
        assertEquals(201, issued.status(), issued.body());
        assertEquals("no-store", issued.raw().headers().firstValue("Cache-Control").orElse(""));
        String token = issued.json().path("token").asText();
        Instant expiresAt = Instant.parse(issued.json().path("expiresAt").asText());
        assertTrue(expiresAt.isAfter(Instant.now()), issued.body());

        // jose4j fetches the JWKS from the node itself.
        HttpsJwks served = new HttpsJwks(node.http().request(JWKS).build().uri().toString());
        JwtConsumer jose4j = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setExpectedIssuer("sliceplane")
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA")
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(served))
                .build();
        JwtClaims claims = jose4j.processToClaims(token);
        assertEquals("alice@princeton.edu", claims.getSubject());
        assertEquals(List.of("pi", "user"), claims.getStringListClaimValue("roles"));
        assertEquals("princeton", claims.getStringClaimValue("site"));
        assertEquals(expiresAt.getEpochSecond(), claims.getExpirationTime().getValue());

        badRequests(http, apiKey);

        // The key survives a restart: same kid, and the earlier token still verifies.
        node.stop();
        node = new NodeProcess(data, node.port()).start();
        Http.Response again = node.http().get(JWKS);
        assertEquals(kid, again.json().path("keys").get(0).path("kid").asText(), again.body());
        JwtConsumer offline = new JwtConsumerBuilder()
                .setExpectedIssuer("sliceplane")
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(again.body()).getJsonWebKeys()))
                .build();
        assertEquals("alice@princeton.edu", offline.processToClaims(token).getSubject());
        assertFalse(node.log().contains(apiKey.substring(apiKey.indexOf('.') + 1)), "the API key secret is never logged");
    }

    private static void badRequests(Http http, String apiKey) throws Exception {
        problem(http.postJson(TOKENS, "{\"apiKey\": "), 400, "malformed-json");
        problem(http.postJson(TOKENS, "{}"), 400, "bad-request");
        assertEquals("apiKey", problem(http.postJson(TOKENS, "{\"apiKey\": \"\"}"), 400, "bad-request").path("field").asText());
        problem(http.postJson(TOKENS, "{\"apiKey\": \"x\", \"extra\": 1}"), 400, "bad-request");
        problem(http.postJson(TOKENS, "[]"), 400, "malformed-json");
        problem(http.post(TOKENS, "text/plain", ("{\"apiKey\": \"" + apiKey + "\"}").getBytes()), 415, "unsupported-media-type");
        Http.Response wrong = http.postJson(TOKENS, "{\"apiKey\": \"" + apiKey.substring(0, apiKey.length() - 1)
                + (apiKey.endsWith("A") ? "B" : "A") + "\"}");
        problem(wrong, 401, "unauthorized");
        assertTrue(wrong.raw().headers().firstValue("WWW-Authenticate").isPresent());
        problem(http.postJson(TOKENS, "{\"apiKey\": \"' OR 1=1 --\"}"), 401, "unauthorized");
        problem(http.get(TOKENS), 405, "method-not-allowed");
        problem(http.method("DELETE", JWKS), 405, "method-not-allowed");
    }

    private static JsonNode problem(Http.Response response, int status, String slug) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonNode body = response.json();
        assertEquals("https://sliceplane.dev/problems/" + slug, body.path("type").asText(), response.body());
        assertEquals(status, body.path("status").asInt());
        return body;
    }

    private static void awaitStatus(Http http, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (http.statusOf(path) == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer " + status);
    }
}
