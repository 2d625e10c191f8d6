package dev.sliceplane.agent.internal.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.JwsSigner;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/**
 * The agent's name, its own Ed25519 key and its current certificate from the authority. The
 * certificate is fetched at start and renewed when a third of its life is left; when renewal
 * fails the old one serves while it is valid, and renewal is tried again a minute later.
 * Thread-safe.
 */
public final class AgentIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentity.class);
    private static final Duration RETRY = Duration.ofMinutes(1);

    private final String name;
    private final Ed25519PrivateKey key;
    private final AgentCertifier certifier;
    private final Duration validity;
    private final Clock clock;
    /** Guarded by this. */
    private String certificate;
    private Instant expires = Instant.MIN;
    private Instant renewAt = Instant.MIN;

    public AgentIdentity(String name, Ed25519PrivateKey key, AgentCertifier certifier, Duration validity, Clock clock) {
        this.name = name;
        this.key = key;
        this.certifier = certifier;
        this.validity = validity;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public JwsSigner signer() {
        return key;
    }

    /**
     * The current certificate, renewed first when due.
     *
     * @throws ProblemException 503 when there is no valid certificate and the authority gives none
     */
    public synchronized String certificate() {
        Instant now = clock.instant();
        if (!now.isBefore(renewAt)) {
            try {
                renew(now);
            } catch (RuntimeException e) {
                renewAt = now.plus(RETRY);
                if (certificate == null || !now.isBefore(expires)) {
                    throw new ProblemException(Problem.of(503, "unavailable", "Service unavailable",
                            "the agent has no valid certificate from the authority: " + e.getMessage()));
                }
                LOG.warn("renewing the agent certificate failed; the current one serves until {}", expires, e);
            }
        }
        return certificate;
    }

    private void renew(Instant now) {
        String issued = certifier.certify(name, key.publicKey().bytes(), validity);
        JsonNode claims = Jws.unverifiedClaims(issued);
        String x = claims.path("cnf").path("jwk").path("x").asText("");
        if (!name.equals(claims.path("sub").asText()) || !x.equals(key.publicKey().base64Url())) {
            throw new JwsException("the authority certified another name or key");
        }
        Instant issuedAt = Instant.ofEpochSecond(claims.path("iat").asLong(now.getEpochSecond()));
        Instant expiry = Instant.ofEpochSecond(claims.path("exp").asLong(0));
        if (!expiry.isAfter(now)) {
            throw new JwsException("the authority issued an expired certificate");
        }
        certificate = issued;
        expires = expiry;
        // Renew when a third of the life is left.
        renewAt = issuedAt.plus(Duration.between(issuedAt, expiry).multipliedBy(2).dividedBy(3));
        LOG.info("agent {} certified until {}", name, expiry);
    }
}
