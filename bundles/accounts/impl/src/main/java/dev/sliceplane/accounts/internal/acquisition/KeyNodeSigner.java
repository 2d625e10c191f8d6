package dev.sliceplane.accounts.internal.acquisition;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * {@link NodeSigner} over the node's identity key and the node credential it holds, on either
 * role: a joined node's (key and credential kept by its {@code NodeAgent}) or the all-in-one
 * authority's own node ({@link OwnNode}). The credential is read live, so a renewal shows at once;
 * the site is its {@code site} claim. Registered by whoever holds the credential, only while it is
 * valid.
 */
public final class KeyNodeSigner implements NodeSigner {

    private final String hostname;
    private final Ed25519PrivateKey key;
    private final Supplier<String> credential;
    private final Optional<URI> authorityUrl;

    public KeyNodeSigner(String hostname, Ed25519PrivateKey key, Supplier<String> credential, Optional<URI> authorityUrl) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.key = Objects.requireNonNull(key, "key");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.authorityUrl = Objects.requireNonNull(authorityUrl, "authorityUrl");
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public String site() {
        try {
            return Jws.unverifiedClaims(credential()).path("site").asText("");
        } catch (JwsException e) {
            return "";
        }
    }

    @Override
    public String credential() {
        return credential.get();
    }

    @Override
    public Optional<URI> authorityUrl() {
        return authorityUrl;
    }

    @Override
    public byte[] publicKey() {
        return key.publicKey().bytes();
    }

    @Override
    public byte[] sign(byte[] message) {
        return key.sign(message);
    }
}
