package dev.sliceplane.platform.api.acquisition;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The first link of the chain authority → agent → ticket: the authority signs, with its current
 * key, an agent certificate binding the agent's name to the agent's own Ed25519 key. The agent
 * signs tickets with that key and puts the certificate in each ticket, so a node checks a ticket
 * with nothing but the authority's published keys. The authority only; provided by the accounts
 * bundle.
 *
 * <p>The certificate is a compact JWS with header {@code {"alg":"EdDSA","kid":<authority key>,
 * "typ":"agent+jwt"}} and claims {@code iss} (the authority's issuer), {@code sub} (the agent's
 * name), {@code cnf.jwk} (the agent's key as an OKP/Ed25519 JWK, RFC 7800), {@code iat},
 * {@code exp}, {@code jti}.
 */
@ProviderType
public interface AgentCertifier {

    /** The {@code typ} of agent certificates. */
    String AGENT_CERTIFICATE_TYPE = "agent+jwt";

    /** Signs a certificate for agent {@code name} holding {@code ed25519PublicKey} (32 bytes), valid for {@code validity}. */
    String certify(String name, byte[] ed25519PublicKey, Duration validity);
}
