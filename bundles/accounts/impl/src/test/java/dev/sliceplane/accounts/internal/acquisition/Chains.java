package dev.sliceplane.accounts.internal.acquisition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * The checks a consumer of the acquisition SPIs makes, written as the node manager and the agent
 * will: a JWS the authority signed verified with nothing but {@link AuthorityKeys}, and a lease-like
 * JWS signed through {@link NodeSigner} verified with the key in its node credential's
 * {@code cnf.jwk}.
 */
public final class Chains {

    public static final String NODE_CREDENTIAL_TYPE = "node-credential+jwt";

    private Chains() {
    }

    /** Verifies {@code jws} of type {@code typ} with the key {@code keys} publishes for its kid, and its issuer. */
    public static VerifiedJws byAuthority(String jws, String typ, AuthorityKeys keys, Instant now) {
        VerifiedJws verified = Jws.verify(jws, typ, kid -> keys.ed25519Key(kid, now).map(Ed25519PublicKey::of).orElse(null));
        assertEquals(keys.issuer(), verified.requiredText("iss"));
        return verified;
    }

    /** Verifies an agent certificate and returns the agent's key from its cnf.jwk. */
    public static Ed25519PublicKey agentKey(String certificate, AuthorityKeys keys, Instant now) {
        VerifiedJws verified = byAuthority(certificate, AgentCertifier.AGENT_CERTIFICATE_TYPE, keys, now);
        return Jws.keyOf(verified.claims().path("cnf").path("jwk"));
    }

    /**
     * Signs a lease-like JWS through {@code signer}, as the node manager will, and checks it the way
     * anyone holding the authority's keys can: credential by the authority, then the lease by the
     * credential's {@code cnf.jwk}. A tampered lease must fail.
     */
    public static void leaseVerifies(NodeSigner signer, AuthorityKeys keys, Instant now) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", signer.hostname());
        claims.put("sub", "princeton_codeen");
        claims.put("jti", "lease-1");
        claims.put("cred", signer.credential());
        String lease = Jws.sign("lease+jwt", signer.hostname(), claims, signer::sign);

        VerifiedJws credential = byAuthority(Jws.unverifiedClaims(lease).path("cred").asText(), NODE_CREDENTIAL_TYPE, keys, now);
        assertEquals(signer.hostname(), credential.requiredText("sub"));
        assertEquals(signer.site(), credential.requiredText("site"));
        Ed25519PublicKey nodeKey = Jws.keyOf(credential.claims().path("cnf").path("jwk"));
        assertArrayEquals(signer.publicKey(), nodeKey.bytes());
        VerifiedJws verifiedLease = Jws.verify(lease, "lease+jwt", nodeKey);
        assertEquals("princeton_codeen", verifiedLease.requiredText("sub"));

        String[] parts = lease.split("\\.");
        ObjectNode forged = claims.deepCopy();
        forged.put("sub", "princeton_other");
        String tampered = parts[0] + "." + Jws.B64.encodeToString(forged.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThrows(JwsException.class, () -> Jws.verify(tampered, "lease+jwt", nodeKey));
    }
}
