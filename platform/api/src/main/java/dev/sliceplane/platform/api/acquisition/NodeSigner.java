package dev.sliceplane.platform.api.acquisition;

import java.net.URI;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's identity at the authority and its key: the node manager signs leases and the
 * resource monitor its reports with it. On a joined node it is the key the node registered with;
 * on the all-in-one authority, which registers its own node, the same. Registered only once the
 * node holds a valid node credential. Provided by the accounts bundle. Thread-safe.
 */
@ProviderType
public interface NodeSigner {

    /** The node's host name as registered ({@code sub} of its credential). */
    String hostname();

    /** The node's site (login base). */
    String site();

    /**
     * The node credential the authority issued: a compact JWS, {@code typ node-credential+jwt},
     * whose {@code cnf.jwk} is this node's public key. Whoever holds the authority's keys can
     * check with it that a signature is this node's.
     */
    String credential();

    /**
     * Where this node's authority answers (the base URL, e.g. {@code https://plc.example.org:8080}),
     * for reports to its agent; empty on the authority itself, where they go in-process.
     */
    Optional<URI> authorityUrl();

    /** The raw 32-byte Ed25519 public key. */
    byte[] publicKey();

    /** An Ed25519 signature (64 bytes) of {@code message} with the node's private key. */
    byte[] sign(byte[] message);
}
