package dev.sliceplane.accounts.internal.acquisition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.jose.Ed25519PrivateKey;

/**
 * The all-in-one authority's own node, made a node of its registry like any other so that it can
 * sign leases and capacity reports ({@code NodeSigner}) with a key the authority vouches for.
 * {@link #ensure()} registers it and issues it a node credential, and renews that credential once
 * two thirds of its life have passed (as a joined node does):
 * <ul>
 * <li>its site is created when missing, as the first administrator's site is ({@code AdminBootstrap}:
 * named "{@value #SITE_NAME}", the most slices a site may hold), since a node needs one; in the
 * all-in-one default both are {@code local}, and whichever comes first makes it;</li>
 * <li>the node is added in boot state {@code boot} with this key; a node an administrator added
 * without a key gets the key (install → boot, as a registration does); one holding this key is
 * taken as it is (its site is the registry's, whatever the configuration says);</li>
 * <li>a node of that name holding <em>another</em> key is left alone and no credential is issued:
 * it may be a real node of that name, so an operator decides (delete it, or name this node
 * otherwise); a disabled node gets no new credential either, as at renewal.</li>
 * </ul>
 * A refused or failed attempt keeps the credential held until it expires. Thread-safe
 * (synchronized).
 */
public final class OwnNode {

    static final String SITE_NAME = "This authority";
    private static final Logger LOG = LoggerFactory.getLogger(OwnNode.class);

    private final Registry registry;
    private final AuthorityComponent authority;
    private final Ed25519PrivateKey key;
    private final String hostname;
    private final String site;
    private final Clock clock;

    // Guarded by this.
    private IssuedToken credential;
    private Instant issuedAt;
    private String lastProblem = "";

    public OwnNode(Registry registry, AuthorityComponent authority, Ed25519PrivateKey key, String hostname, String site,
            Clock clock) {
        this.registry = registry;
        this.authority = authority;
        this.key = key;
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.site = Objects.requireNonNull(site, "site");
        this.clock = clock;
    }

    public String hostname() {
        return hostname;
    }

    public Ed25519PrivateKey key() {
        return key;
    }

    /** The credential held (possibly expired), or empty before the first was issued. */
    public synchronized String credential() {
        return credential == null ? "" : credential.token();
    }

    /**
     * Registers the node and (re)issues its credential when it has none or renewal is due.
     * Returns the credential while one is valid; the reason for a refusal goes to the log once.
     */
    public synchronized Optional<String> ensure() {
        Instant now = clock.instant();
        if (credential == null || renewalDue(now)) {
            try {
                credential = authority.issueNodeCredential(registered());
                issuedAt = now;
                if (!lastProblem.isEmpty()) {
                    LOG.info("The authority's own node {} holds a credential again", hostname);
                }
                lastProblem = "";
                LOG.debug("The authority's own node {} holds a credential until {}", hostname, credential.expiresAt());
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // Cancelled by the component going away (a stop soon after start): not a problem to report.
                    LOG.debug("The authority's own node {}: check cancelled: {}", hostname, e.getMessage());
                } else {
                    problem(e.getMessage());
                }
            }
        }
        return credential != null && credential.expiresAt().isAfter(now) ? Optional.of(credential.token()) : Optional.empty();
    }

    private boolean renewalDue(Instant now) {
        Duration life = Duration.between(issuedAt, credential.expiresAt());
        return !now.isBefore(issuedAt.plus(life.multipliedBy(2).dividedBy(3)));
    }

    /** The node as registered with this key, after adding what is missing. */
    private Node registered() {
        String publicKey = key.publicKey().base64Url();
        Node node;
        try {
            node = registry.getNode(hostname);
        } catch (RegistryException e) {
            if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                throw e;
            }
            ensureSite();
            node = registry.addNode(new Node(hostname, site, publicKey, BootState.BOOT));
            LOG.info("The authority registered its own node {} (site {})", hostname, site);
            return node;
        }
        if (!node.registered()) {
            BootState state = node.bootState() == BootState.INSTALL ? BootState.BOOT : node.bootState();
            node = registry.updateNode(new Node(node.hostname(), node.site(), publicKey, state));
            LOG.info("The authority recorded its own key for node {}", hostname);
        } else if (!node.identityKey().equals(publicKey)) {
            throw new IllegalStateException("node " + hostname + " is registered with another key; delete it from the"
                    + " registry, or give this node another name (hostname of " + "dev.sliceplane.accounts.node)");
        }
        if (node.bootState() == BootState.DISABLED) {
            throw new IllegalStateException("node " + hostname + " is disabled");
        }
        return node;
    }

    private void ensureSite() {
        try {
            registry.getSite(site);
        } catch (RegistryException e) {
            if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                throw e;
            }
            try {
                registry.addSite(new Site(site, SITE_NAME, "", Site.MAX_SLICES_LIMIT));
                LOG.info("The authority made site {} for its own node", site);
            } catch (RegistryException raced) {
                if (raced.reason() != RegistryException.Reason.ALREADY_EXISTS) {
                    throw raced;
                }
            }
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOG.warn("The authority's own node {} gets no node credential (so no NodeSigner): {}", hostname, message);
        }
        lastProblem = message;
    }
}
