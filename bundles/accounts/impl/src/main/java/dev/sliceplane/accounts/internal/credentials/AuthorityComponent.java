package dev.sliceplane.accounts.internal.credentials;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.sliceplane.accounts.internal.AccountsPaths;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.accounts.api.TokenVerifier;
import dev.sliceplane.accounts.internal.AuthorityRole;

/**
 * The authority's signing side: opens the {@link KeyRing} under
 * {@code <sliceplane.data>/accounts/keys}, rotates the current key when it is older than the
 * configured period, issues tokens, verifies them ({@link TokenVerifier}) and describes the
 * published keys as a JWKS. Independent of the database, so tokens verify while it is down.
 */
@Component(service = {TokenVerifier.class, CredentialVerifier.class, AuthorityComponent.class},
        configurationPid = AuthorityComponent.PID)
@Designate(ocd = AuthorityComponent.Config.class)
public final class AuthorityComponent implements CredentialVerifier {

    static final String PID = "dev.sliceplane.accounts.credentials";

    @ObjectClassDefinition(name = "Sliceplane accounts credentials",
            description = "The authority's signing keys and the access tokens it issues.")
    public @interface Config {
        @AttributeDefinition(description = "The iss claim of issued tokens; verification requires it.")
        String issuer() default "sliceplane";

        @AttributeDefinition(min = "60", max = "86400", description = "Lifetime of an access token, in seconds (default 15 minutes).")
        int tokenLifetimeSeconds() default 900;

        @AttributeDefinition(min = "0", max = "300", description = "Clock skew tolerated when checking exp, in seconds.")
        int clockSkewSeconds() default 30;

        @AttributeDefinition(min = "1", description = "Days after which the current signing key is replaced by a new one.")
        int keyRotationDays() default 30;

        @AttributeDefinition(min = "1", max = "100", description = "Most retired keys kept published (each only until the tokens it signed have expired).")
        int retiredKeysKept() default 3;

        @AttributeDefinition(min = "0", max = "86400", description = "Cache-Control max-age of the JWKS, in seconds.")
        int jwksMaxAgeSeconds() default 300;

        @AttributeDefinition(min = "60", max = "2592000", description = "Lifetime of a node bootstrap token, in seconds (default 24 hours).")
        int bootstrapTokenLifetimeSeconds() default 86_400;

        @AttributeDefinition(min = "300", max = "31536000", description = "Lifetime of a node credential, in seconds (default 7 days).")
        int nodeCredentialLifetimeSeconds() default 604_800;

        @AttributeDefinition(min = "0", max = "1000000", description = "How many verified tokens and node credentials"
                + " are remembered, so a repeat skips the signature check (about 500 bytes each); 0 turns this off.")
        int verifiedCacheSize() default VerifiedCredentials.DEFAULT_SIZE;
    }

    private final KeyRing keys;
    private final TokenCodec codec;
    private final Clock clock;
    private final Duration rotation;
    private final Duration publishRetiredFor;
    private final int jwksMaxAge;
    private final Duration bootstrapTokenLifetime;
    private final Duration nodeCredentialLifetime;

    /** Runs only on an authority ({@link AuthorityRole}): a joined node makes no keys of its own. */
    @Activate
    public AuthorityComponent(BundleContext context, Config config, @Reference AuthorityRole role) {
        this(AccountsPaths.accountsDirectory(context).resolve("keys"), config, Clock.systemUTC());
    }

    public AuthorityComponent(Path keysDirectory, Config config, Clock clock) {
        SecureRandom random = new SecureRandom();
        this.clock = clock;
        Duration lifetime = Duration.ofSeconds(config.tokenLifetimeSeconds());
        Duration skew = Duration.ofSeconds(config.clockSkewSeconds());
        this.rotation = Duration.ofDays(config.keyRotationDays());
        this.publishRetiredFor = lifetime.plus(skew);
        this.jwksMaxAge = config.jwksMaxAgeSeconds();
        this.bootstrapTokenLifetime = Duration.ofSeconds(config.bootstrapTokenLifetimeSeconds());
        this.nodeCredentialLifetime = Duration.ofSeconds(config.nodeCredentialLifetimeSeconds());
        this.keys = KeyRing.open(keysDirectory, config.retiredKeysKept(), random, clock.instant());
        this.keys.rotateIfOlder(rotation, clock.instant(), publishRetiredFor);
        this.codec = new TokenCodec(keys, config.issuer(), lifetime, skew, clock, random, config.verifiedCacheSize());
    }

    /** Signs a token for {@code principal}, first rotating the key if it is due. */
    public IssuedToken issue(Principal principal) {
        rotateIfDue();
        return codec.issue(principal);
    }

    /** Signs a node credential for a registered {@code node}, first rotating the key if it is due. */
    public IssuedToken issueNodeCredential(Node node) {
        rotateIfDue();
        return codec.issueNodeCredential(node, nodeCredentialLifetime);
    }

    @Override
    public TokenClaims verify(String token) {
        return codec.verify(token);
    }

    @Override
    public NodeCredentialClaims verifyNodeCredential(String credential) {
        return codec.verifyNodeCredential(credential);
    }

    /** How long a node bootstrap token is valid. */
    public Duration bootstrapTokenLifetime() {
        return bootstrapTokenLifetime;
    }

    public Duration nodeCredentialLifetime() {
        return nodeCredentialLifetime;
    }

    public String issuer() {
        return codec.issuer();
    }

    private void rotateIfDue() {
        Instant now = clock.instant();
        if (!keys.current().created().plus(rotation).isAfter(now)) {
            keys.rotateIfOlder(rotation, now, publishRetiredFor);
        }
    }

    /** Replaces the current key now; the previous one stays published until its tokens expire. */
    public SigningKey rotate() {
        return keys.rotate(clock.instant(), publishRetiredFor);
    }

    /** The published keys as an RFC 7517 JWK Set with RFC 8037 OKP keys. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (SigningKey key : keys.published(clock.instant())) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("x", key.x());
            jwk.put("kid", key.kid());
            jwk.put("use", "sig");
            jwk.put("alg", "EdDSA");
            list.add(jwk);
        }
        return Map.of("keys", list);
    }

    public int jwksMaxAgeSeconds() {
        return jwksMaxAge;
    }

    public Duration tokenLifetime() {
        return codec.lifetime();
    }

    KeyRing keyRing() {
        return keys;
    }
}
