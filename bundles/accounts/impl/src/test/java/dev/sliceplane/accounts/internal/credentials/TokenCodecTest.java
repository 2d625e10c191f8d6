package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.TokenClaims;

class TokenCodecTest {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final Principal ALICE = new Principal("alice@princeton.edu", "Alice", "princeton",
            EnumSet.of(Role.PI, Role.USER), true);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    MutableClock clock;
    AuthorityComponent authority;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), clock);
    }

    @Test
    void issuedTokensVerifyWithTheirClaims() {
        IssuedToken issued = authority.issue(ALICE);
        assertEquals(T0.plusSeconds(900), issued.expiresAt());
        TokenClaims claims = authority.verify(issued.token());
        assertEquals("sliceplane-test", claims.issuer());
        assertEquals("alice@princeton.edu", claims.subject());
        assertEquals(EnumSet.of(Role.PI, Role.USER), claims.roles());
        assertEquals("princeton", claims.site());
        assertEquals(T0, claims.issuedAt());
        assertEquals(issued.expiresAt(), claims.expiresAt());
        assertEquals(22, claims.id().length());
        assertTrue(!claims.id().equals(authority.verify(authority.issue(ALICE).token()).id()), "jti is unique");
    }

    @Test
    void headerIsEdDsaWithKidAndTyp() throws Exception {
        String token = authority.issue(ALICE).token();
        Map<?, ?> header = JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[0]), Map.class);
        assertEquals(Map.of("alg", "EdDSA", "kid", authority.keyRing().current().kid(), "typ", "JWT"), header);
    }

    @Test
    void jwksHasTheRfc8037Shape() {
        Map<String, Object> jwks = authority.jwks();
        List<?> keys = (List<?>) jwks.get("keys");
        assertEquals(1, keys.size());
        Map<?, ?> key = (Map<?, ?>) keys.get(0);
        assertEquals(List.of("kty", "crv", "x", "kid", "use", "alg"), List.copyOf(key.keySet()));
        assertEquals("OKP", key.get("kty"));
        assertEquals("Ed25519", key.get("crv"));
        assertEquals("sig", key.get("use"));
        assertEquals("EdDSA", key.get("alg"));
        assertEquals(32, Base64.getUrlDecoder().decode((String) key.get("x")).length);
        assertTrue(((String) key.get("x")).matches("[A-Za-z0-9_-]{43}"), "base64url without padding");
    }

    @Test
    void jose4jReadsOurTokensAgainstOurJwks() throws Exception {
        IssuedToken issued = authority.issue(ALICE);
        JwtClaims claims = jose4j(authority).processToClaims(issued.token());
        assertEquals("alice@princeton.edu", claims.getSubject());
        assertEquals("sliceplane-test", claims.getIssuer());
        assertEquals(List.of("pi", "user"), claims.getStringListClaimValue("roles"));
        assertEquals("princeton", claims.getStringClaimValue("site"));
        assertEquals(issued.expiresAt().getEpochSecond(), claims.getExpirationTime().getValue());
        // and its computed thumbprint is our kid
        JsonWebKeySet set = new JsonWebKeySet(JSON.writeValueAsString(authority.jwks()));
        assertEquals(authority.keyRing().current().kid(), set.getJsonWebKeys().get(0).calculateBase64urlEncodedThumbprint("SHA-256"));
    }

    static JwtConsumer jose4j(AuthorityComponent authority) throws Exception {
        JsonWebKeySet set = new JsonWebKeySet(JSON.writeValueAsString(authority.jwks()));
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer("sliceplane-test")
                .setEvaluationTime(NumericDate.fromSeconds(T0.getEpochSecond() + 1))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys()))
                .build();
    }

    @Test
    void expiredTokensAreRefusedAfterTheSkew() {
        String token = authority.issue(ALICE).token();
        clock.advance(Duration.ofSeconds(900 + 29));
        authority.verify(token);
        clock.advance(Duration.ofSeconds(1));
        assertEquals("expired", refused(token));
    }

    @Test
    void tokensSignedByAnotherKeyAreRefused() {
        AuthorityComponent other = new AuthorityComponent(temp.resolve("other"), TestConfig.defaults(), clock);
        assertEquals("unknown or retired key id", refused(other.issue(ALICE).token()));
        // Same kid in the header, but signed by the other key:
        ObjectNode claims = claims();
        String forged = TokenCodec.sign(other.keyRing().current(), claims);
        String[] parts = forged.split("\\.");
        String ours = authority.issue(ALICE).token().split("\\.")[0];
        assertEquals("bad signature", refused(ours + "." + parts[1] + "." + parts[2]));
    }

    @Test
    void tamperedTokensAreRefused() {
        String[] parts = authority.issue(ALICE).token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"pi\",", "\"admin\",\"pi\",");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals("bad signature", refused(tampered));
        char last = parts[2].charAt(10);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        assertEquals("bad signature", refused(flipped));
    }

    @Test
    void unknownKidAlgNoneAndGarbageAreRefused() {
        String[] parts = authority.issue(ALICE).token().split("\\.");
        String unknownKid = b64("{\"alg\":\"EdDSA\",\"kid\":\"nope\",\"typ\":\"JWT\"}");
        assertEquals("unknown or retired key id", refused(unknownKid + "." + parts[1] + "." + parts[2]));
        assertEquals("alg must be EdDSA", refused(b64("{\"alg\":\"none\"}") + "." + parts[1] + "."));
        assertEquals("alg must be EdDSA", refused(b64("{\"alg\":\"HS256\",\"kid\":\"x\"}") + "." + parts[1] + "." + parts[2]));
        assertEquals("not a compact JWS (three base64url parts)", refused("abc"));
        assertEquals("not a compact JWS (three base64url parts)", refused("a.b.c.d"));
        assertEquals("header is not base64url", refused("***." + parts[1] + "." + parts[2]));
        assertEquals("header is not JSON", refused(b64("{nope") + "." + parts[1] + "." + parts[2]));
        refused(null);
    }

    @Test
    void wrongIssuerIsRefused() {
        TestConfig config = TestConfig.defaults();
        config.issuer = "someone-else";
        AuthorityComponent sameKeysOtherIssuer = new AuthorityComponent(temp.resolve("keys"), config, clock);
        assertEquals("wrong issuer", refused(sameKeysOtherIssuer.issue(ALICE).token()));
    }

    @Test
    void rotationKeepsEarlierTokensValidUntilTheyExpire() {
        String before = authority.issue(ALICE).token();
        String oldKid = authority.keyRing().current().kid();
        clock.advance(Duration.ofSeconds(60));
        authority.rotate();
        String after = authority.issue(ALICE).token();
        authority.verify(before);
        authority.verify(after);
        assertEquals(2, ((List<?>) authority.jwks().get("keys")).size());
        clock.advance(Duration.ofSeconds(900 + 30));
        assertEquals(1, ((List<?>) authority.jwks().get("keys")).size());
        assertTrue(!authority.jwks().toString().contains(oldKid));
        assertEquals("unknown or retired key id", refused(before));
    }

    @Test
    void keyIsRotatedWhenDue() {
        String kid = authority.keyRing().current().kid();
        clock.advance(Duration.ofDays(30));
        authority.issue(ALICE);
        assertTrue(!kid.equals(authority.keyRing().current().kid()));
    }

    ObjectNode claims() {
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", "sliceplane-test");
        claims.put("sub", "mallory@evil.org");
        claims.putArray("roles").add("admin");
        claims.put("site", "evil");
        claims.put("iat", T0.getEpochSecond());
        claims.put("exp", T0.getEpochSecond() + 900);
        claims.put("jti", "x");
        return claims;
    }

    String refused(String token) {
        return assertThrows(InvalidTokenException.class, () -> authority.verify(token)).getMessage();
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
