package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.platform.api.security.AuthenticationException;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/** Node credentials: their claims, and that neither kind of credential passes as the other. */
class NodeCredentialTest {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    MutableClock clock;
    AuthorityComponent authority;
    Node node;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), clock);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new Ed25519PrivateKeyParameters(new SecureRandom()).generatePublicKey().getEncoded());
        node = new Node("node1.princeton.edu", "princeton", key, BootState.BOOT);
    }

    @Test
    void aNodeCredentialCarriesTheNodeAndItsKey() throws Exception {
        IssuedToken credential = authority.issueNodeCredential(node);
        assertEquals(T0.plus(Duration.ofDays(7)), credential.expiresAt(), "7 days by default");
        String[] parts = credential.token().split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("node-credential+jwt", header.path("typ").asText());
        assertEquals("EdDSA", header.path("alg").asText());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("node1.princeton.edu", claims.path("sub").asText());
        assertEquals("princeton", claims.path("site").asText());
        assertEquals(node.identityKey(), claims.path("cnf").path("jwk").path("x").asText());
        assertEquals("OKP", claims.path("cnf").path("jwk").path("kty").asText());
        assertEquals(T0.getEpochSecond(), claims.path("iat").asLong());

        NodeCredentialClaims verified = authority.verifyNodeCredential(credential.token());
        assertEquals(new NodeCredentialClaims("sliceplane-test", node.hostname(), "princeton", node.identityKey(), T0,
                credential.expiresAt(), claims.path("jti").asText()), verified);
    }

    @Test
    void anAccessTokenIsNoNodeCredential() {
        IssuedToken token = authority.issue(new Principal("alice@princeton.edu", "Alice", "princeton",
                EnumSet.of(Role.ADMIN), true));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> authority.verifyNodeCredential(token.token()));
        assertEquals("typ must be node-credential+jwt", e.getMessage());
    }

    @Test
    void aNodeCredentialIsNoAccessToken() {
        IssuedToken credential = authority.issueNodeCredential(node);
        assertEquals("typ must be JWT", assertThrows(InvalidTokenException.class,
                () -> authority.verify(credential.token())).getMessage());
    }

    @Test
    void nodeClaimsRetypedAsAnAccessTokenStillFail() {
        // Signed by the authority's key with typ JWT but a node's claims: no roles, so no principal.
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", "sliceplane-test");
        claims.put("sub", node.hostname());
        claims.put("site", "princeton");
        claims.putObject("cnf").putObject("jwk").put("x", node.identityKey());
        claims.put("iat", T0.getEpochSecond());
        claims.put("exp", T0.plusSeconds(600).getEpochSecond());
        claims.put("jti", "x");
        String forged = TokenCodec.sign(authority.keyRing().current(), claims);
        assertThrows(InvalidTokenException.class, () -> authority.verify(forged));
        assertThrows(InvalidTokenException.class, () -> authority.verifyNodeCredential(forged));
    }

    @Test
    void expiredOrForeignNodeCredentialsFail() {
        IssuedToken credential = authority.issueNodeCredential(node);
        AuthorityComponent other = new AuthorityComponent(temp.resolve("other"), TestConfig.defaults(), clock);
        assertThrows(InvalidTokenException.class, () -> other.verifyNodeCredential(credential.token()));
        clock.advance(Duration.ofDays(7).plusSeconds(31));
        assertEquals("expired", assertThrows(InvalidTokenException.class,
                () -> authority.verifyNodeCredential(credential.token())).getMessage());
    }

    @Test
    void theAuthenticatorTellsNodesFromPrincipals() throws Exception {
        TokenAuthenticator authenticator = new TokenAuthenticator(authority);
        IssuedToken credential = authority.issueNodeCredential(node);
        Caller nodeCaller = authenticator.authenticate(credential.token());
        assertEquals(Caller.Kind.NODE, nodeCaller.kind());
        assertEquals("node1.princeton.edu", nodeCaller.id());
        assertEquals("princeton", nodeCaller.site());
        assertEquals(Set.of(Roles.NODE), nodeCaller.roles());
        assertEquals(credential.expiresAt(), nodeCaller.expiresAt());

        IssuedToken token = authority.issue(new Principal("alice@princeton.edu", "Alice", "princeton",
                EnumSet.of(Role.PI), true));
        Caller person = authenticator.authenticate(token.token());
        assertEquals(Caller.Kind.PRINCIPAL, person.kind());
        assertEquals(Set.of(Roles.PI), person.roles());

        String t = credential.token();
        int at = t.lastIndexOf('.') + 10;
        String tampered = t.substring(0, at) + (t.charAt(at) == 'A' ? 'B' : 'A') + t.substring(at + 1);
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(tampered));
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate("garbage"));
    }
}
