package dev.sliceplane.accounts.internal.credentials;

import java.lang.annotation.Annotation;

/** The authority's configuration with its defaults, adjustable per test. */
public final class TestConfig implements AuthorityComponent.Config {

    String issuer = "sliceplane-test";
    int lifetime = 900;
    int skew = 30;
    int rotationDays = 30;
    int kept = 3;
    int bootstrapLifetime = 86_400;
    int nodeCredentialLifetime = 604_800;
    int verifiedCacheSize = VerifiedCredentials.DEFAULT_SIZE;

    public static TestConfig defaults() {
        return new TestConfig();
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return AuthorityComponent.Config.class;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public int tokenLifetimeSeconds() {
        return lifetime;
    }

    @Override
    public int clockSkewSeconds() {
        return skew;
    }

    @Override
    public int keyRotationDays() {
        return rotationDays;
    }

    @Override
    public int retiredKeysKept() {
        return kept;
    }

    @Override
    public int jwksMaxAgeSeconds() {
        return 300;
    }

    @Override
    public int bootstrapTokenLifetimeSeconds() {
        return bootstrapLifetime;
    }

    @Override
    public int nodeCredentialLifetimeSeconds() {
        return nodeCredentialLifetime;
    }

    @Override
    public int verifiedCacheSize() {
        return verifiedCacheSize;
    }
}
