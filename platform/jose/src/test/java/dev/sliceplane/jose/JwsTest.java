package dev.sliceplane.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

class JwsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);

    private String signed(String typ) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("sub", "princeton_codeen");
        claims.put("exp", 2_000_000_000L);
        return Jws.sign(typ, "k1", claims, key);
    }

    @Test
    void verifiesWhatItSignsAndReturnsTheClaims() {
        VerifiedJws verified = Jws.verify(signed("ticket+jwt"), "ticket+jwt", kid -> "k1".equals(kid) ? key.publicKey() : null);
        assertEquals("princeton_codeen", verified.requiredText("sub"));
        assertEquals(2_000_000_000L, verified.requiredSeconds("exp"));
        assertEquals("k1", verified.header().path("kid").asText());
    }

    @Test
    void refusesAnotherTypeAnUnknownKeyAndAnotherKeysSignature() {
        String token = signed("ticket+jwt");
        assertEquals("typ must be lease+jwt",
                assertThrows(JwsException.class, () -> Jws.verify(token, "lease+jwt", key.publicKey())).getMessage());
        assertEquals("unknown or retired key id",
                assertThrows(JwsException.class, () -> Jws.verify(token, "ticket+jwt", kid -> null)).getMessage());
        Ed25519PublicKey other = Ed25519PrivateKey.generate(RANDOM).publicKey();
        assertEquals("bad signature",
                assertThrows(JwsException.class, () -> Jws.verify(token, "ticket+jwt", other)).getMessage());
    }

    @Test
    void refusesATamperedClaimOrMalformedTokens() {
        String token = signed("ticket+jwt");
        String[] parts = token.split("\\.");
        String forgedClaims = Jws.B64.encodeToString("{\"sub\":\"mit_other\",\"exp\":2000000000}".getBytes(StandardCharsets.UTF_8));
        String forged = parts[0] + "." + forgedClaims + "." + parts[2];
        assertThrows(JwsException.class, () -> Jws.verify(forged, "ticket+jwt", key.publicKey()));
        for (String bad : new String[] {null, "", "a.b", "a.b.c.d", "!!!.e30.AAAA", "x".repeat(Jws.MAX_LENGTH + 1)}) {
            assertThrows(JwsException.class, () -> Jws.verify(bad, "ticket+jwt", key.publicKey()), String.valueOf(bad));
        }
    }

    @Test
    void refusesAlgNoneAndCriticalHeaders() {
        String claims = Jws.B64.encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        String none = Jws.B64.encodeToString("{\"alg\":\"none\",\"typ\":\"ticket+jwt\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("alg must be EdDSA", assertThrows(JwsException.class,
                () -> Jws.verify(none + "." + claims + ".", "ticket+jwt", key.publicKey())).getMessage());
        String crit = Jws.B64.encodeToString(
                "{\"alg\":\"EdDSA\",\"typ\":\"ticket+jwt\",\"crit\":[\"x\"],\"x\":1}".getBytes(StandardCharsets.UTF_8));
        String input = crit + "." + claims;
        String token = input + "." + Jws.B64.encodeToString(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("critical header parameters are not understood",
                assertThrows(JwsException.class, () -> Jws.verify(token, "ticket+jwt", key.publicKey())).getMessage());
    }

    @Test
    void aJoseLibraryVerifiesItWithTheJwk() throws Exception {
        String token = signed("ticket+jwt");
        PublicJsonWebKey jwk = (OctetKeyPairJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(
                Jws.JSON.writeValueAsString(Jws.jwk(key.publicKey())));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(jwk.getPublicKey());
        assertEquals(true, jws.verifySignature());
        assertEquals(key.publicKey(), Jws.keyOf(Jws.jwk(key.publicKey())));
    }

    @Test
    void aStoredKeyIsOwnerOnlyAndLoadsAsTheSameKey(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("agent/agent.key");
        Ed25519PrivateKey made = Ed25519PrivateKey.loadOrCreate(file, RANDOM);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(made.publicKey(), Ed25519PrivateKey.loadOrCreate(file, RANDOM).publicKey());
        Files.writeString(file, "not a key");
        assertThrows(java.io.IOException.class, () -> Ed25519PrivateKey.loadOrCreate(file, RANDOM));
    }
}
