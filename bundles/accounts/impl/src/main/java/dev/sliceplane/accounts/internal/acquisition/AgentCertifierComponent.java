package dev.sliceplane.accounts.internal.acquisition;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;

/**
 * {@link AgentCertifier} on the authority: a JWS of type {@value AgentCertifier#AGENT_CERTIFICATE_TYPE}
 * signed with the authority's current key ({@code kid} = that key's id), claims {@code iss} (the
 * configured issuer), {@code sub} (the agent), {@code cnf.jwk} (its key, an OKP JWK), {@code iat},
 * {@code exp} = {@code iat} + validity, {@code jti} (16 random bytes). Times in epoch seconds.
 */
@Component(service = AgentCertifier.class)
public final class AgentCertifierComponent implements AgentCertifier {

    private final AuthorityComponent authority;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public AgentCertifierComponent(@Reference AuthorityComponent authority) {
        this(authority, Clock.systemUTC());
    }

    public AgentCertifierComponent(AuthorityComponent authority, Clock clock) {
        this.authority = authority;
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException for a blank name, a key that is no Ed25519 public key, or a
     *                                  validity that is not positive
     */
    @Override
    public String certify(String name, byte[] ed25519PublicKey, Duration validity) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an agent certificate names its agent");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("an agent certificate's validity must be positive");
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.of(ed25519PublicKey);
        } catch (JwsException e) {
            throw new IllegalArgumentException("the agent's key: " + e.getMessage());
        }
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", authority.issuer());
        claims.put("sub", name);
        claims.putObject("cnf").set("jwk", Jws.jwk(key));
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(validity).getEpochSecond());
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        claims.put("jti", Jws.B64.encodeToString(jti));
        return authority.sign(AGENT_CERTIFICATE_TYPE, claims);
    }
}
