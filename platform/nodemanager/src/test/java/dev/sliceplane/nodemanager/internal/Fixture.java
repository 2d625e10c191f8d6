package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Fakes of the SPIs the accounts bundle provides, on real Ed25519 keys: an authority that signs
 * agent certificates and node credentials, an agent that signs tickets, a slice directory and the
 * node's signer; a clock tests move; and a node manager over a real VMM on a temporary directory.
 */
final class Fixture implements AutoCloseable {

    static final String HOST = "node1.princeton.edu";
    static final String ISSUER = "https://plc.test";
    static final String AUTHORITY_KID = "authority-1";
    static final String AGENT = "agent";
    static final String SLICE = "princeton_codeen";
    static final String MEMBER = "alice@princeton.edu";
    static final String MEMBER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtxTwcPdBSIPbr7DeQ1BTiYHrvnPS0cXWW1b3bGw7Sb alice";
    static final Resources SMALL = new Resources(0.25, 64L << 20, 32, 16L << 20);

    final SecureRandom random = new SecureRandom();
    final Ed25519PrivateKey authorityKey = Ed25519PrivateKey.generate(random);
    final Ed25519PrivateKey agentKey = Ed25519PrivateKey.generate(random);
    final Ed25519PrivateKey nodeKey = Ed25519PrivateKey.generate(random);
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    final Map<String, SliceRecord> slices = new HashMap<>();
    final Path directory;
    final BackendVmm vmm;
    Policy policy = Policy.DEFAULTS;
    NodeManager manager;
    private final List<NodeManager> started = new java.util.ArrayList<>();

    Fixture(Path temp) throws IOException {
        this.directory = temp.resolve("nodemanager");
        this.vmm = new BackendVmm(temp.resolve("vmm"));
        addSlice(SLICE, clock.instant().plus(Duration.ofDays(30)), MEMBER);
    }

    Fixture start() throws IOException {
        return start(vmm);
    }

    /** Starts a node manager on {@code through}, a VMM that may stand between it and the real one. */
    Fixture start(dev.sliceplane.vmm.api.Vmm through) throws IOException {
        manager = new NodeManager(through, authorityKeys(), sliceDirectory(), nodeSigner(), directory, clock, policy, null);
        started.add(manager);
        return this;
    }

    /** A new node manager on the same directory and VMM, as after a kill -9 and a restart. */
    NodeManager restart() throws IOException {
        vmm.restart();
        return start().manager;
    }

    void addSlice(String name, Instant expires, String... members) {
        Map<String, List<String>> keys = new HashMap<>();
        for (String member : members) {
            keys.put(member, member.equals(MEMBER) ? List.of(MEMBER_KEY) : List.of());
        }
        slices.put(name, new SliceRecord(name, expires, 10, keys));
    }

    AuthorityKeys authorityKeys() {
        return new AuthorityKeys() {
            @Override
            public String issuer() {
                return ISSUER;
            }

            @Override
            public Optional<byte[]> ed25519Key(String kid, Instant now) {
                return AUTHORITY_KID.equals(kid) ? Optional.of(authorityKey.publicKey().bytes()) : Optional.empty();
            }
        };
    }

    SliceDirectory sliceDirectory() {
        return name -> Optional.ofNullable(slices.get(name)).filter(s -> clock.instant().isBefore(s.expires()));
    }

    NodeSigner nodeSigner() {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", HOST);
        claims.set("cnf", Jws.JSON.createObjectNode().set("jwk", Jws.jwk(nodeKey.publicKey())));
        claims.put("exp", clock.instant().plus(Duration.ofDays(365)).getEpochSecond());
        String credential = Jws.sign("node-credential+jwt", AUTHORITY_KID, claims, authorityKey);
        return new NodeSigner() {
            @Override
            public String hostname() {
                return HOST;
            }

            @Override
            public String site() {
                return "princeton";
            }

            @Override
            public String credential() {
                return credential;
            }

            @Override
            public Optional<java.net.URI> authorityUrl() {
                return Optional.empty();
            }

            @Override
            public byte[] publicKey() {
                return nodeKey.publicKey().bytes();
            }

            @Override
            public byte[] sign(byte[] message) {
                return nodeKey.sign(message);
            }
        };
    }

    /** An agent certificate as {@code AgentCertifier.certify} makes it, signed by {@code signer}. */
    String certificate(Ed25519PrivateKey signer, Consumer<ObjectNode> change) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", AGENT);
        claims.set("cnf", Jws.JSON.createObjectNode().set("jwk", Jws.jwk(agentKey.publicKey())));
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("exp", clock.instant().plus(Duration.ofDays(30)).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        change.accept(claims);
        return Jws.sign("agent+jwt", AUTHORITY_KID, claims, signer);
    }

    /** A good ticket for the slice on this node, one hour from now. */
    String ticket() {
        return ticket(SLICE, SMALL, c -> { });
    }

    String ticket(String slice, Resources res, Consumer<ObjectNode> change) {
        return ticket(slice, res, change, certificate(authorityKey, c -> { }), agentKey);
    }

    String ticket(String slice, Resources res, Consumer<ObjectNode> change, String certificate, Ed25519PrivateKey signer) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", AGENT);
        claims.put("sub", slice);
        claims.put("aud", HOST);
        claims.set("res", ResourcesJson.write(res));
        claims.put("nbf", clock.instant().getEpochSecond());
        claims.put("exp", clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("iat", clock.instant().getEpochSecond());
        byte[] id = new byte[16];
        random.nextBytes(id);
        claims.put("jti", Jws.B64.encodeToString(id));
        claims.put("agent", certificate);
        change.accept(claims);
        return Jws.sign("ticket+jwt", AGENT, claims, signer);
    }

    static String ticketId(String ticket) {
        return Jws.unverifiedClaims(ticket).path("jti").asText();
    }

    static Caller member() {
        return Caller.principal(MEMBER, "princeton", Set.of(Roles.USER), "t1", Instant.now().plus(Duration.ofHours(1)));
    }

    static Caller stranger() {
        return Caller.principal("mallory@mit.edu", "mit", Set.of(Roles.USER), "t2", Instant.now().plus(Duration.ofHours(1)));
    }

    static Caller pi(String site) {
        return Caller.principal("pi@" + site + ".edu", site, Set.of(Roles.PI), "t3", Instant.now().plus(Duration.ofHours(1)));
    }

    static Caller admin() {
        return Caller.principal("root@plc.test", "plc", Set.of(Roles.ADMIN), "t4", Instant.now().plus(Duration.ofHours(1)));
    }

    @Override
    public void close() {
        for (NodeManager m : started) {
            try {
                m.deactivate();
            } catch (IOException e) {
                // the journal of a "crashed" manager may be closed already
            }
        }
        vmm.close();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
