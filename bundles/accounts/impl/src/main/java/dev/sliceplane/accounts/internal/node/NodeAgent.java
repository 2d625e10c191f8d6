package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.NodeCache;
import dev.sliceplane.accounts.api.NodeCacheStatus;
import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.accounts.internal.credentials.CredentialReader;
import dev.sliceplane.accounts.internal.credentials.CredentialVerifier;
import dev.sliceplane.accounts.internal.credentials.NodeCredentialClaims;
import dev.sliceplane.accounts.internal.credentials.PrivateFiles;
import dev.sliceplane.accounts.internal.credentials.VerificationKeys;
import dev.sliceplane.accounts.internal.node.AuthorityClient.Fetched;
import dev.sliceplane.accounts.internal.node.AuthorityClient.Refused;
import dev.sliceplane.jose.Ed25519PrivateKey;

/**
 * A node's side of its authority. Each {@link #refresh()} makes sure the node holds a valid
 * credential (registering with the bootstrap token when it has none, renewing once two thirds of
 * its life have passed), then fetches the authority's keys and the node's slices conditionally,
 * and writes what changed atomically under {@code <data>/accounts/node/}. At construction it
 * loads what an earlier run kept, so a node that restarts while the authority is down still
 * verifies tokens (against the cached keys, offline) and serves its slices.
 *
 * <p>Between refreshes, {@link #fetchSlicesNow} fetches the slices once on demand (a slice made
 * at the authority since the last refresh), rate-limited and bounded in time.
 *
 * <p>Threads: {@link #refresh()} and {@link #fetchSlicesNow} run one at a time under
 * {@code exchange}; readers take the volatile fields, each an immutable value replaced whole.
 */
public final class NodeAgent implements NodeCache {

    /** The node's Ed25519 seed, unpadded base64url on one line (0600). */
    static final String KEY_FILE = "node.key";
    static final String CREDENTIAL_FILE = "credential.jws";
    static final String JWKS_FILE = "jwks.json";
    static final String SLICES_FILE = "slices.json";
    static final String REFRESHED_FILE = "refreshed-at";
    /** Clock leeway when verifying tokens presented to this node, as on the authority. */
    static final Duration SKEW = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final String hostname;
    private final AuthorityClient client;
    private final Supplier<String> bootstrapToken;
    private final Duration refreshPeriod;
    private final Clock clock;
    private final Ed25519PrivateKey key;
    /** Held while talking to the authority: a refresh or an on-demand fetch of the slices. */
    private final ReentrantLock exchange = new ReentrantLock();
    /** When the last on-demand fetch started; guarded by {@code exchange}. */
    private Instant lastOnDemandFetch = Instant.MIN;

    private volatile StoredCredential credential;
    private volatile String jwksEtag = "";
    private volatile CachedKeys keys;
    private volatile String slicesEtag = "";
    private volatile List<NodeSlice> slices = List.of();
    private volatile Instant refreshedAt;
    private volatile String lastError = "";
    private volatile CredentialReader reader;

    /**
     * @param directory      where the node keeps its key, credential and cache (made 0700)
     * @param bootstrapToken read only when the node has to register
     * @throws IOException when the directory or the node key cannot be made or read
     */
    public NodeAgent(Path directory, String authorityUrl, String hostname, Supplier<String> bootstrapToken,
            Duration refreshPeriod, Duration timeout, Clock clock) throws IOException {
        this.directory = directory;
        this.hostname = hostname;
        this.client = new AuthorityClient(authorityUrl, timeout);
        this.bootstrapToken = bootstrapToken;
        this.refreshPeriod = refreshPeriod;
        this.clock = clock;
        PrivateFiles.ensureDirectory(directory);
        this.key = loadKey(directory.resolve(KEY_FILE));
        load();
    }

    /** The node's public key as the authority records it: unpadded base64url of its 32 bytes. */
    public String publicKey() {
        return key.publicKey().base64Url();
    }

    /** The node's identity key, which signs for it (leases, capacity reports). */
    public Ed25519PrivateKey key() {
        return key;
    }

    public String hostname() {
        return hostname;
    }

    /** The authority's base URL. */
    public String authorityUrl() {
        return client.base();
    }

    /** One round with the authority; failures are recorded (see {@link #status()}), never thrown. */
    public void refresh() {
        exchange.lock();
        try {
            refreshHeld();
        } finally {
            exchange.unlock();
        }
    }

    private void refreshHeld() {
        try {
            ensureCredential();
            refreshKeys();
            refreshSlices();
            Instant now = clock.instant();
            PrivateFiles.write(directory.resolve(REFRESHED_FILE), now.toString().getBytes(StandardCharsets.US_ASCII));
            refreshedAt = now;
            if (!lastError.isEmpty()) {
                LOG.info("Authority {} answers again; the node's cache is current", client.base());
            }
            lastError = "";
        } catch (IOException e) {
            failed("cannot reach it: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (Refused | IllegalArgumentException | InvalidTokenException e) {
            failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Refreshing the node's cache of authority {} failed", client.base(), e);
            failed(e.toString());
        }
    }

    /**
     * Fetches the node's slices now, between refreshes, because a lookup missed: a slice made at
     * the authority since the last refresh is then found. At most one such fetch per
     * {@code minInterval}; when a refresh or another fetch is under way this waits for it
     * instead (it brings the slices too). Never takes much longer than {@code timeout}. Returns
     * whether the slices may have changed; failures only go to the debug log (the periodic
     * refresh reports them).
     */
    public boolean fetchSlicesNow(Duration timeout, Duration minInterval) {
        if (!exchange.tryLock()) {
            try {
                if (exchange.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    exchange.unlock();
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        try {
            Instant now = clock.instant();
            StoredCredential held = credential;
            if (now.isBefore(lastOnDemandFetch.plus(minInterval)) || held == null || held.expired(now)) {
                return false;
            }
            lastOnDemandFetch = now;
            return refreshSlices(timeout);
        } catch (IOException | Refused | IllegalArgumentException e) {
            LOG.debug("On-demand fetch of the slices from {} failed: {}", client.base(), e.getMessage());
            return false;
        } finally {
            exchange.unlock();
        }
    }

    /** The authority's keys as last fetched (none before the first fetch): no call to the authority. */
    public VerificationKeys cachedKeys() {
        return (kid, now) -> {
            CachedKeys current = keys;
            return current == null ? null : current.verificationKey(kid, now);
        };
    }

    /** The issuer of the node's credential, once the node holds the authority's keys and a credential. */
    public Optional<String> issuer() {
        CredentialReader current = reader;
        return current == null ? Optional.empty() : Optional.of(current.issuer());
    }

    /** The node's credential, if it holds one that verifies against the cached keys and names this node and key. */
    public Optional<String> validCredential() {
        StoredCredential held = credential;
        CredentialReader current = reader;
        if (held == null || current == null) {
            return Optional.empty();
        }
        try {
            NodeCredentialClaims own = current.verifyNodeCredential(held.token());
            return own.hostname().equals(hostname) && own.nodeKey().equals(publicKey())
                    ? Optional.of(held.token()) : Optional.empty();
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    /** The credential held, valid or not: its latest form, for whoever signs with the node's key. */
    public String currentCredential() {
        StoredCredential held = credential;
        return held == null ? "" : held.token();
    }

    /** Verifies tokens presented to this node against the cached keys: no call to the authority. */
    public CredentialVerifier verifier() {
        return new CredentialVerifier() {
            @Override
            public TokenClaims verify(String token) {
                return currentReader().verify(token);
            }

            @Override
            public NodeCredentialClaims verifyNodeCredential(String token) {
                return currentReader().verifyNodeCredential(token);
            }
        };
    }

    @Override
    public List<NodeSlice> slices() {
        Instant now = clock.instant();
        return slices.stream().filter(s -> s.expires().isAfter(now)).toList();
    }

    @Override
    public Optional<NodeSlice> slice(String name) {
        return slices().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public Map<String, List<PublicKey>> memberKeys(String slice) {
        return slice(slice).map(NodeSlice::memberKeys).orElse(Map.of());
    }

    @Override
    public NodeCacheStatus status() {
        Instant now = clock.instant();
        Instant refreshed = refreshedAt;
        String error = lastError;
        Duration age = refreshed == null ? null : Duration.between(refreshed, now);
        boolean stale = refreshed == null || !error.isEmpty() || age.compareTo(refreshPeriod.multipliedBy(3)) > 0;
        StoredCredential held = credential;
        return new NodeCacheStatus(hostname, client.base(), held == null ? null : held.expiresAt(), refreshed, age,
                stale, error);
    }

    private CredentialReader currentReader() {
        CredentialReader current = reader;
        if (current == null) {
            throw new InvalidTokenException("this node has not fetched its authority's keys yet");
        }
        return current;
    }

    private void ensureCredential() throws IOException, Refused {
        Instant now = clock.instant();
        StoredCredential held = credential;
        if (held == null || held.expired(now)) {
            register(held == null ? "has no credential" : "credential expired at " + held.expiresAt());
            return;
        }
        if (held.renewalDue(now)) {
            try {
                store(client.renew(held.token()));
                LOG.info("Node credential renewed; it expires at {}", credential.expiresAt());
            } catch (Refused e) {
                if ((e.status() == 401 || e.status() == 403) && hasBootstrapToken()) {
                    register("renewal refused: " + e.getMessage());
                } else {
                    throw e;
                }
            }
        }
    }

    private void register(String why) throws IOException, Refused {
        if (!hasBootstrapToken()) {
            throw new Refused(0, "the node " + why + " and no bootstrap token is configured"
                    + " (bootstrapToken or bootstrapTokenFile of dev.sliceplane.accounts.node)");
        }
        store(client.register(hostname, bootstrapToken.get().strip(), publicKey()));
        LOG.info("Node {} registered with authority {} ({}); its credential expires at {}", hostname, client.base(),
                why, credential.expiresAt());
    }

    private boolean hasBootstrapToken() {
        String token = bootstrapToken.get();
        return token != null && !token.isBlank();
    }

    private void store(IssuedToken issued) throws IOException {
        StoredCredential next = StoredCredential.of(issued.token());
        PrivateFiles.write(directory.resolve(CREDENTIAL_FILE), (next.token() + "\n").getBytes(StandardCharsets.US_ASCII));
        credential = next;
        if (keys != null) {
            reader = new CredentialReader(keys, next.issuer(), SKEW, clock);
        }
    }

    private void refreshKeys() throws IOException, Refused {
        Fetched fetched = client.jwks(jwksEtag);
        if (!fetched.notModified()) {
            CachedKeys fresh = CachedKeys.parse(fetched.body());
            persist(JWKS_FILE, fetched);
            keys = fresh;
            jwksEtag = fetched.etag();
            LOG.debug("Fetched the authority's keys: {}", fresh.size());
        }
        CredentialReader next = new CredentialReader(keys, credential.issuer(), SKEW, clock);
        NodeCredentialClaims own = next.verifyNodeCredential(credential.token());
        if (!own.hostname().equals(hostname) || !own.nodeKey().equals(publicKey())) {
            throw new IllegalArgumentException("the authority's credential is for " + own.hostname()
                    + " and another key; this node is " + hostname);
        }
        reader = next;
    }

    private void refreshSlices() throws IOException, Refused {
        refreshSlices(null);
    }

    /** Returns whether the slices changed; {@code timeout} null: the client's. */
    private boolean refreshSlices(Duration timeout) throws IOException, Refused {
        Fetched fetched = client.slices(hostname, credential.token(), slicesEtag, timeout);
        if (fetched.notModified()) {
            return false;
        }
        List<NodeSlice> fresh = NodeSlicesDocument.read(fetched.body());
        persist(SLICES_FILE, fetched);
        slices = fresh;
        slicesEtag = fetched.etag();
        LOG.debug("Fetched the node's slices: {}", fresh.size());
        return true;
    }

    /** Keeps a fetched document with its ETag in one file, so the two never disagree. */
    private void persist(String file, Fetched fetched) throws IOException {
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.put("etag", fetched.etag());
        wrapper.set("body", JSON.readTree(fetched.body()));
        PrivateFiles.write(directory.resolve(file), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(wrapper));
    }

    private void failed(String error) {
        Instant refreshed = refreshedAt;
        if (!error.equals(lastError)) {
            if (refreshed == null) {
                LOG.warn("Node {} has no cache of authority {} yet: {}", hostname, client.base(), error);
            } else {
                LOG.warn("Node {}: authority {} failed ({}); serving the cache, stale, {} s old", hostname,
                        client.base(), error, Duration.between(refreshed, clock.instant()).toSeconds());
            }
        }
        lastError = error;
    }

    /** What an earlier run kept; a damaged file is logged and left to the next refresh to replace. */
    private void load() {
        try {
            byte[] stored = NodeAgent.readIfExists(directory.resolve(CREDENTIAL_FILE));
            if (stored != null) {
                credential = StoredCredential.of(new String(stored, StandardCharsets.US_ASCII));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring the stored node credential: {}", e.getMessage());
        }
        try {
            JsonNode jwks = readWrapper(JWKS_FILE);
            if (jwks != null) {
                keys = CachedKeys.parse(JSON.writeValueAsBytes(jwks.get("body")));
                jwksEtag = jwks.path("etag").asText("");
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring the cached keys of the authority: {}", e.getMessage());
        }
        try {
            JsonNode cached = readWrapper(SLICES_FILE);
            if (cached != null) {
                slices = NodeSlicesDocument.read(JSON.writeValueAsBytes(cached.get("body")));
                slicesEtag = cached.path("etag").asText("");
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring the cached slices: {}", e.getMessage());
        }
        try {
            byte[] at = NodeAgent.readIfExists(directory.resolve(REFRESHED_FILE));
            if (at != null && keys != null) {
                refreshedAt = Instant.parse(new String(at, StandardCharsets.US_ASCII).strip());
            }
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("Ignoring the cache's refresh time: {}", e.getMessage());
        }
        if (keys != null && credential != null) {
            reader = new CredentialReader(keys, credential.issuer(), SKEW, clock);
        }
        if (refreshedAt != null) {
            LOG.info("Node {} loaded its cache of authority {}: {} slices, refreshed at {}", hostname, client.base(),
                    slices.size(), refreshedAt);
        }
    }

    private static Ed25519PrivateKey loadKey(Path file) throws IOException {
        try {
            return Ed25519PrivateKey.loadOrCreate(file, new SecureRandom());
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (the node must then register again with a bootstrap token)", e);
        }
    }

    static byte[] readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    private JsonNode readWrapper(String file) throws IOException {
        byte[] bytes = NodeAgent.readIfExists(directory.resolve(file));
        if (bytes == null) {
            return null;
        }
        JsonNode wrapper = JSON.readTree(bytes);
        if (wrapper == null || !wrapper.has("body")) {
            throw new IllegalArgumentException(file + " is damaged");
        }
        return wrapper;
    }
}
