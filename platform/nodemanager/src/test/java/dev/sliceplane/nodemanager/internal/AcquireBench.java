package dev.sliceplane.nodemanager.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.agent.internal.agent.AgentIdentity;
import dev.sliceplane.agent.internal.agent.Issuance;
import dev.sliceplane.agent.internal.agent.TicketAgent;
import dev.sliceplane.agent.internal.broker.Broker;
import dev.sliceplane.agent.internal.broker.TicketRequest;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Time to acquire 100 slivers spread over simulated nodes, in one JVM: the real agent
 * ({@link TicketAgent}, journal on disk) and default {@link Broker}, and {@code nodes} real
 * {@link NodeManager}s (each its own key, credential, journal and simulated VMM). Every node's
 * capacity report (signed from its {@link NodeManager#offer()} as the reporter signs it) is
 * delivered to the agent; then, per round, one broker request for 100 tickets of a new slice and
 * the redemption of every ticket at its node, 16 at a time as the service manager client does
 * ({@code ServiceManager.Builder.parallelism}). The HTTP hops are not included: every call is
 * in-process. Run by bench/acquisition-bench.sh; Surefire never runs it.
 *
 * <p>Arguments: nodes (default 100), rounds (default 20), warm-up rounds (default 5), slivers per
 * round (default 100).
 */
public final class AcquireBench {

    private static final String ISSUER = "https://plc.bench";
    private static final String AUTHORITY_KID = "authority-1";
    private static final String MEMBER = "alice@princeton.edu";
    private static final Resources SLIVER = new Resources(0.1, 64L << 20, 16, 64L << 20);
    private static final int PARALLELISM = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock = Clock.systemUTC();
    private final Ed25519PrivateKey authorityKey = Ed25519PrivateKey.generate(RANDOM);
    private final Map<String, SliceRecord> slices = new ConcurrentHashMap<>();
    private final Map<String, NodeRecord> records = new ConcurrentHashMap<>();
    private final Map<String, NodeManager> managers = new HashMap<>();
    private final Map<String, NodeSigner> signers = new HashMap<>();
    private final List<BackendVmm> vmms = new ArrayList<>();
    private final Caller member = Caller.principal(MEMBER, "princeton", Set.of(Roles.USER), "t1",
            Instant.now().plus(Duration.ofDays(1)));

    private AcquireBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int slivers = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path directory = Files.createTempDirectory("acq-acquire-bench");
        AcquireBench bench = new AcquireBench();
        try {
            bench.run(directory, nodes, rounds, warmup, slivers);
        } finally {
            bench.close();
            BenchFiles.deleteTree(directory);
        }
    }

    private void run(Path directory, int nodes, int rounds, int warmup, int slivers) throws Exception {
        long s0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            startNode(directory, "node" + i + ".sim", "site" + (i % 50), i);
        }
        long s1 = System.nanoTime();
        AgentIdentity identity = new AgentIdentity("agent", Ed25519PrivateKey.generate(RANDOM), certifier(),
                Duration.ofDays(30), clock);
        try (TicketAgent agent = TicketAgent.open(identity, nodeDirectory(), new TicketAgent.Settings(
                Duration.ofSeconds(10), Duration.ofDays(1)), clock, RANDOM, directory.resolve("agent/tickets.jsonl"))) {
            Broker broker = new Broker(agent, sliceDirectory(), nodeDirectory());
            long s2 = System.nanoTime();
            for (Map.Entry<String, NodeManager> node : managers.entrySet()) {
                agent.accept(node.getKey(), report(node.getKey(), node.getValue()));
            }
            long s3 = System.nanoTime();
            System.out.printf("SIMULATION: %d node managers on simulated VMMs, one agent + broker, one JVM%n", nodes);
            System.out.printf("start %d node managers: %.0f ms; %d capacity reports signed and delivered: %.0f ms%n",
                    nodes, (s1 - s0) / 1e6, nodes, (s3 - s2) / 1e6);
            round(broker, "warm", warmup, slivers);
            double[][] ms = round(broker, "round", rounds, slivers);
            print("broker request for " + slivers + " tickets", ms[0]);
            print("redemption of every ticket (" + PARALLELISM + " at a time)", ms[1]);
            print("ACQUIRE " + slivers + " SLIVERS, total", ms[2]);
        }
    }

    /** {@code n} rounds, each a new slice: request, redemption and total times (ms), sorted. */
    private double[][] round(Broker broker, String prefix, int n, int slivers) throws Exception {
        double[][] ms = new double[3][n];
        for (int r = 0; r < n; r++) {
            String slice = "princeton_" + prefix + r;
            slices.put(slice, new SliceRecord(slice, clock.instant().plus(Duration.ofDays(7)), 100_000,
                    Map.of(MEMBER, List.of())));
            long t0 = System.nanoTime();
            Issuance issuance = broker.request(member, new TicketRequest(slice, slivers, SLIVER, "", Duration.ofHours(1),
                    false));
            long t1 = System.nanoTime();
            List<Lease> leases = redeemAll(issuance.tickets());
            long t2 = System.nanoTime();
            long nodes = issuance.tickets().stream().map(Issuance.Ticket::node).distinct().count();
            if (leases.size() != slivers || nodes != slivers) {
                throw new IllegalStateException("round " + r + ": " + leases.size() + " leases on " + nodes
                        + " nodes, not " + slivers);
            }
            ms[0][r] = (t1 - t0) / 1e6;
            ms[1][r] = (t2 - t1) / 1e6;
            ms[2][r] = (t2 - t0) / 1e6;
        }
        for (double[] row : ms) {
            Arrays.sort(row);
        }
        return ms;
    }

    /** Every ticket redeemed at its node, on a pool made for this call as the client's fan-out does. */
    private List<Lease> redeemAll(List<Issuance.Ticket> tickets) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, tickets.size()));
        try {
            List<Future<Lease>> futures = new ArrayList<>();
            for (Issuance.Ticket ticket : tickets) {
                futures.add(pool.submit(() -> managers.get(ticket.node()).redeem(ticket.ticket(), member)));
            }
            List<Lease> leases = new ArrayList<>();
            for (Future<Lease> future : futures) {
                leases.add(future.get());
            }
            return leases;
        } finally {
            pool.shutdownNow();
        }
    }

    private void startNode(Path directory, String host, String site, int seed) throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
        records.put(host, new NodeRecord(host, site, "boot", key.publicKey().bytes()));
        NodeSigner signer = signer(host, site, key);
        BackendVmm vmm = BenchFiles.simulatedVmm(directory.resolve(host).resolve("vmm"), seed);
        vmms.add(vmm);
        signers.put(host, signer);
        managers.put(host, new NodeManager(vmm, authorityKeys(), sliceDirectory(), signer,
                directory.resolve(host).resolve("nodemanager"), clock, Policy.DEFAULTS, null));
    }

    /** The capacity report, with the claims CapacityReporter.signedReport puts in it. */
    private String report(String host, NodeManager manager) {
        NodeSigner signer = signers.get(host);
        NodeOffer offer = manager.offer();
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", host);
        claims.put("sub", host);
        claims.put("iat", now);
        claims.put("exp", now + 30);
        claims.put("url", "http://127.0.0.1:18950/" + host);
        claims.put("site", signer.site());
        claims.set("capacity", Jws.JSON.valueToTree(offer.capacity()));
        claims.set("free", Jws.JSON.valueToTree(offer.free()));
        claims.put("oversubscription", offer.oversubscription());
        ArrayNode redeemed = claims.putArray("redeemed");
        offer.redeemedTickets().stream().sorted().forEach(redeemed::add);
        ArrayNode released = claims.putArray("released");
        offer.releasedTickets().stream().sorted().forEach(released::add);
        claims.put("health", "UP");
        return Jws.sign("capacity-report+jwt", host, claims, signer::sign);
    }

    private NodeSigner signer(String host, String site, Ed25519PrivateKey key) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", host);
        claims.set("cnf", Jws.JSON.createObjectNode().set("jwk", Jws.jwk(key.publicKey())));
        claims.put("exp", clock.instant().plus(Duration.ofDays(365)).getEpochSecond());
        String credential = Jws.sign("node-credential+jwt", AUTHORITY_KID, claims, authorityKey);
        return new NodeSigner() {
            @Override
            public String hostname() {
                return host;
            }

            @Override
            public String site() {
                return site;
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
                return key.publicKey().bytes();
            }

            @Override
            public byte[] sign(byte[] message) {
                return key.sign(message);
            }
        };
    }

    private AgentCertifier certifier() {
        return (name, publicKey, validity) -> {
            long now = clock.instant().getEpochSecond();
            ObjectNode claims = Jws.JSON.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", name);
            claims.set("cnf", Jws.JSON.createObjectNode().set("jwk", Jws.jwk(Ed25519PublicKey.of(publicKey))));
            claims.put("iat", now);
            claims.put("exp", now + validity.toSeconds());
            claims.put("jti", UUID.randomUUID().toString());
            return Jws.sign(AgentCertifier.AGENT_CERTIFICATE_TYPE, AUTHORITY_KID, claims, authorityKey);
        };
    }

    private AuthorityKeys authorityKeys() {
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

    private SliceDirectory sliceDirectory() {
        return name -> Optional.ofNullable(slices.get(name)).filter(s -> clock.instant().isBefore(s.expires()));
    }

    private NodeDirectory nodeDirectory() {
        return new NodeDirectory() {
            @Override
            public Optional<NodeRecord> node(String hostname) {
                return Optional.ofNullable(records.get(hostname));
            }

            @Override
            public List<NodeRecord> nodes() {
                return List.copyOf(records.values());
            }
        };
    }

    private static void print(String what, double[] sorted) {
        System.out.printf("%-60s n=%d p50 %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms%n", what, sorted.length,
                BenchFiles.percentile(sorted, 50), BenchFiles.percentile(sorted, 90), sorted[0],
                sorted[sorted.length - 1]);
    }

    private void close() {
        for (NodeManager manager : managers.values()) {
            try {
                manager.deactivate();
            } catch (Exception e) {
                // closing anyway
            }
        }
        vmms.forEach(BackendVmm::close);
    }
}
