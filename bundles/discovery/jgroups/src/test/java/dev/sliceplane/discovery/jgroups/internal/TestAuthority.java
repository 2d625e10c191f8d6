package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * An authority for tests: a real Ed25519 key that issues node credentials as the accounts bundle
 * does ({@code typ node-credential+jwt}, {@code iss sub site cnf.jwk iat exp jti}), and the
 * {@link AuthorityKeys} a node holds of it.
 */
final class TestAuthority implements AuthorityKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String issuer;
    private final String kid;
    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    /** Once set, the authority no longer publishes its key (as after a rotation). */
    private volatile boolean retired;

    TestAuthority(String issuer) {
        this.issuer = issuer;
        this.kid = "k-" + Math.abs(RANDOM.nextInt());
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public Optional<byte[]> ed25519Key(String kid, Instant now) {
        return !retired && this.kid.equals(kid) ? Optional.of(key.publicKey().bytes()) : Optional.empty();
    }

    /** Stops publishing the key: credentials it signed no longer verify. */
    void retireKey() {
        retired = true;
    }

    /** A node with a fresh key and a credential for it, valid {@code validFor} from now. */
    TestNode node(String hostname, String site, Duration validFor) {
        Ed25519PrivateKey nodeKey = Ed25519PrivateKey.generate(RANDOM);
        return new TestNode(hostname, site, nodeKey, credential(hostname, site, nodeKey, Instant.now().plus(validFor)));
    }

    TestNode node(String hostname) {
        return node(hostname, "site1", Duration.ofHours(1));
    }

    String credential(String hostname, String site, Ed25519PrivateKey nodeKey, Instant expires) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", hostname);
        claims.put("site", site);
        claims.putObject("cnf").set("jwk", Jws.jwk(nodeKey.publicKey()));
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", "j-" + RANDOM.nextLong());
        return Jws.sign(AdvertCodec.CREDENTIAL_TYPE, kid, claims, key);
    }

    /** A node's signer, as the accounts bundle provides it once the node holds a credential. */
    record TestNode(String hostname, String site, Ed25519PrivateKey key, String credential) implements NodeSigner {
        @Override
        public Optional<URI> authorityUrl() {
            return Optional.of(URI.create("http://authority.test"));
        }

        @Override
        public byte[] publicKey() {
            return key.publicKey().bytes();
        }

        @Override
        public byte[] sign(byte[] message) {
            return key.sign(message);
        }

        /** The same node signing with another key than its credential certifies. */
        TestNode withKey(Ed25519PrivateKey other) {
            return new TestNode(hostname, site, other, credential);
        }
    }
}
