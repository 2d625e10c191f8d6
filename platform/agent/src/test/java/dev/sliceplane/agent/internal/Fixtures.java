package dev.sliceplane.agent.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * Fakes of the SPIs the accounts bundle provides, with real Ed25519 keys: an authority that
 * certifies agents, a node directory, a slice directory, and nodes that sign capacity reports.
 */
public final class Fixtures {

    public static final SecureRandom RANDOM = new SecureRandom();
    public static final String ISSUER = "https://authority.test";
    public static final String AUTHORITY_KID = "authority-1";

    private Fixtures() {
    }

    /** A clock the test moves. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The authority's certifier, signing with its own key as the accounts bundle would. */
    public static final class FakeAuthority implements AgentCertifier {
        public final Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
        private final Clock clock;
        public final List<String> issued = new ArrayList<>();
        public volatile boolean failing;

        public FakeAuthority(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized String certify(String name, byte[] ed25519PublicKey, Duration validity) {
            if (failing) {
                throw new IllegalStateException("the registry is down");
            }
            long now = clock.instant().getEpochSecond();
            ObjectNode claims = Jws.JSON.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", name);
            claims.putObject("cnf").set("jwk", Jws.jwk(dev.sliceplane.jose.Ed25519PublicKey.of(ed25519PublicKey)));
            claims.put("iat", now);
            claims.put("exp", now + validity.toSeconds());
            claims.put("jti", UUID.randomUUID().toString());
            String certificate = Jws.sign(AgentCertifier.AGENT_CERTIFICATE_TYPE, AUTHORITY_KID, claims, key);
            issued.add(certificate);
            return certificate;
        }
    }

    /** A registry of nodes, changed by the test. */
    public static final class Nodes implements NodeDirectory {
        public final Map<String, NodeRecord> records = new ConcurrentHashMap<>();

        @Override
        public Optional<NodeRecord> node(String hostname) {
            return Optional.ofNullable(records.get(hostname));
        }

        @Override
        public List<NodeRecord> nodes() {
            return List.copyOf(records.values());
        }
    }

    /** Registered slices, changed by the test; expired ones are not returned, as the contract says. */
    public static final class Slices implements SliceDirectory {
        public final Map<String, SliceRecord> records = new ConcurrentHashMap<>();
        private final Clock clock;

        public Slices(Clock clock) {
            this.clock = clock;
        }

        public SliceRecord add(String name, Duration life, int maxSlivers, String... members) {
            Map<String, List<String>> keys = new java.util.HashMap<>();
            for (String member : members) {
                keys.put(member, List.of());
            }
            SliceRecord slice = new SliceRecord(name, clock.instant().plus(life), maxSlivers, keys);
            records.put(name, slice);
            return slice;
        }

        @Override
        public Optional<SliceRecord> slice(String name) {
            return Optional.ofNullable(records.get(name)).filter(s -> s.expires().isAfter(clock.instant()));
        }
    }

    /** A node with its own key, registered in {@code nodes}, that signs reports. */
    public static final class Node {
        public final String hostname;
        public final String site;
        public final Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);

        public Node(Nodes nodes, String hostname, String site, String bootState) {
            this.hostname = hostname;
            this.site = site;
            nodes.records.put(hostname, new NodeRecord(hostname, site, bootState, key.publicKey().bytes()));
        }

        /** A report claims object the test may change before signing. */
        public ObjectNode claims(Instant now, Resources capacity, Resources free, double oversubscription,
                Set<String> redeemed, String health) {
            ObjectNode claims = Jws.JSON.createObjectNode();
            claims.put("iss", hostname);
            claims.put("sub", hostname);
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.getEpochSecond() + 30);
            claims.put("url", "http://127.0.0.1:18801/" + hostname);
            claims.put("site", site);
            claims.set("capacity", Jws.JSON.valueToTree(capacity));
            claims.set("free", Jws.JSON.valueToTree(free));
            claims.put("oversubscription", oversubscription);
            var ids = claims.putArray("redeemed");
            redeemed.forEach(ids::add);
            claims.put("health", health);
            return claims;
        }

        public String sign(ObjectNode claims) {
            return Jws.sign("capacity-report+jwt", hostname, claims, key);
        }

        /** A report without the {@code released} claim, as an older reporter sends it. */
        public String report(Instant now, Resources free, Set<String> redeemed, String health) {
            return sign(claims(now, free, free, 1.0, redeemed, health));
        }

        /** A report naming the tickets of current leases ({@code redeemed}) and of ended ones ({@code released}). */
        public String report(Instant now, Resources free, Set<String> redeemed, Set<String> released, String health) {
            ObjectNode claims = claims(now, free, free, 1.0, redeemed, health);
            released.forEach(claims.putArray("released")::add);
            return sign(claims);
        }
    }

    /** Resources of {@code cpu} cores and {@code memoryMiB}, with 100 processes and 1 GiB of disk per core. */
    public static Resources res(double cpu, long memoryMiB) {
        return new Resources(cpu, memoryMiB << 20, (int) Math.round(cpu * 100), (long) (cpu * (1L << 30)));
    }
}
