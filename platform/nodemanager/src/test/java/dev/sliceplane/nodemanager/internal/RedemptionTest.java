package dev.sliceplane.nodemanager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;

/** Redemption: the happy path on a real VMM, and every refusal of the contract with its status and reasons. */
class RedemptionTest {

    @TempDir
    Path temp;

    Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(temp);
    }

    @AfterEach
    void close() {
        f.close();
    }

    NodeManager manager() throws Exception {
        if (f.manager == null) {
            f.start();
        }
        return f.manager;
    }

    @Test
    void redeemsATicketForASliverWithTheMembersKeysAndASignedLease() throws Exception {
        String ticket = f.ticket();
        Lease lease = manager().redeem(ticket, Fixture.member());

        assertEquals(Fixture.SLICE, lease.slice());
        assertEquals(Fixture.SLICE, lease.sliver());
        assertEquals(Fixture.ticketId(ticket), lease.ticket());
        assertEquals(Fixture.SMALL, lease.resources());
        SliverInfo sliver = f.vmm.find(Fixture.SLICE).orElseThrow();
        assertEquals(0.25, sliver.limits().cpuCores());
        assertEquals(64L << 20, sliver.limits().memoryBytes());
        assertEquals(32, sliver.limits().maxProcesses());
        assertEquals(16L << 20, sliver.limits().diskBytes());

        Path keys = sliver.home().resolve(".ssh/authorized_keys");
        assertEquals(Fixture.MEMBER_KEY + "\n", Files.readString(keys));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.getParent())));

        VerifiedJws jws = Jws.verify(lease.token(), "lease+jwt", f.nodeKey.publicKey());
        JsonNode claims = jws.claims();
        assertEquals(Fixture.HOST, jws.header().path("kid").asText());
        assertEquals(Fixture.HOST, claims.path("iss").asText());
        assertEquals(Fixture.SLICE, claims.path("sub").asText());
        assertEquals(lease.id(), claims.path("jti").asText());
        assertEquals(lease.ticket(), claims.path("ticket").asText());
        assertEquals(Fixture.SLICE, claims.path("sliver").asText());
        assertEquals(Fixture.SMALL, ResourcesJson.read(claims.path("res")));
        assertEquals(lease.end().getEpochSecond(), claims.path("exp").asLong());
        // The credential in the lease names the key that signed it, and the authority signed the credential.
        JsonNode credential = Jws.verify(claims.path("cred").asText(), "node-credential+jwt",
                f.authorityKey.publicKey()).claims();
        assertEquals(f.nodeKey.publicKey(), Jws.keyOf(credential.path("cnf").path("jwk")));
        // The ticket's window (1 h) is shorter than maxLeaseTerm and the slice: the lease ends with it.
        assertEquals(Instant.ofEpochSecond(Jws.unverifiedClaims(ticket).path("exp").asLong()), lease.end());

        ProgramInfo program = manager().launch(lease.id(), new ProgramSpec(List.of("/bin/sh", "-c",
                "echo hello from $SLIVER; cat .ssh/authorized_keys | wc -l"), Map.of(), ""), Fixture.member());
        await("the program's exit", () -> manager().programs(lease.id(), Fixture.member()).get(0).exitCode() != null);
        ProgramInfo ended = manager().programs(lease.id(), Fixture.member()).get(0);
        assertEquals(program.id(), ended.id());
        assertEquals(0, ended.exitCode());
        assertEquals("hello from princeton_codeen\n1\n", Files.readString(ended.stdout()));
    }

    @Test
    void aPiOfTheSlicesSiteAndAnAdminMayRedeemButNotAPiOfAnotherSite() throws Exception {
        assertDenied(403, "not-a-member", "slice.members", () -> manager().redeem(f.ticket(), Fixture.pi("mit")));
        assertEquals(Fixture.SLICE, manager().redeem(f.ticket(), Fixture.pi("princeton")).slice());
        f.addSlice("princeton_other", Instant.now().plus(Duration.ofDays(1)), "bob@princeton.edu");
        assertEquals("princeton_other", manager().redeem(f.ticket("princeton_other", Fixture.SMALL, c -> { }),
                Fixture.admin()).slice());
    }

    @Test
    void refusesAnythingThatIsNotATicket() throws Exception {
        assertDenied(400, "invalid-request", "ticket.form", () -> manager().redeem("", Fixture.member()));
        assertDenied(400, "invalid-request", "ticket.form", () -> manager().redeem("a.b", Fixture.member()));
        String certificate = f.certificate(f.authorityKey, c -> { });
        assertDenied(400, "invalid-request", "ticket.typ", () -> manager().redeem(certificate, Fixture.member()));
        assertDenied(400, "invalid-request", "ticket.res", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.remove("res")), Fixture.member()));
        assertDenied(400, "invalid-request", "ticket.res", () -> manager().redeem(
                f.ticket(Fixture.SLICE, new Resources(0, 64L << 20, 1, 0), c -> { }), Fixture.member()));
        assertDenied(400, "invalid-request", "ticket.sub", () -> manager().redeem(
                f.ticket("Not A Sliver", Fixture.SMALL, c -> { }), Fixture.member()));
        assertDenied(400, "invalid-request", "ticket.exp", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("exp", "tomorrow")), Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesATicketWhoseSignatureIsForged() throws Exception {
        Ed25519PrivateKey impostor = Ed25519PrivateKey.generate(f.random);
        String forged = f.ticket(Fixture.SLICE, Fixture.SMALL, c -> { }, f.certificate(f.authorityKey, c -> { }), impostor);
        assertDenied(403, "ticket-forged", "ticket.signature", () -> manager().redeem(forged, Fixture.member()));

        // Signed by the agent's key, but changed afterwards: more CPU spliced into the claims.
        String good = f.ticket();
        String[] parts = good.split("\\.");
        String richer = Jws.B64.encodeToString(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"cpu\":0.25", "\"cpu\":1.5").getBytes());
        assertDenied(403, "ticket-forged", "ticket.signature",
                () -> manager().redeem(parts[0] + "." + richer + "." + parts[2], Fixture.member()));
        // The signature's tail overwritten (what AcquisitionIT does).
        String tail = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertDenied(403, "ticket-forged", "ticket.signature", () -> manager().redeem(tail, Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesATicketWhoseAgentCertificateIsForgedOrStale() throws Exception {
        Ed25519PrivateKey impostor = Ed25519PrivateKey.generate(f.random);
        String forgedCertificate = f.certificate(impostor, c -> { });
        assertDenied(403, "ticket-forged", "agent.signature", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> { }, forgedCertificate, f.agentKey), Fixture.member()));

        String otherIssuer = f.certificate(f.authorityKey, c -> c.put("iss", "https://evil.test"));
        assertDenied(403, "ticket-forged", "agent.iss", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> { }, otherIssuer, f.agentKey), Fixture.member()));

        String expired = f.certificate(f.authorityKey, c -> c.put("exp", f.clock.instant().minusSeconds(60).getEpochSecond()));
        assertDenied(403, "ticket-forged", "agent.exp", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> { }, expired, f.agentKey), Fixture.member()));

        // A good certificate for agent "agent", but the ticket claims another issuer.
        assertDenied(403, "ticket-forged", "ticket.iss", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("iss", "other-agent")), Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesATicketForAnotherNode() throws Exception {
        assertDenied(403, "ticket-wrong-node", "ticket.aud", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("aud", "node2.mit.edu")), Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesATicketOutsideItsWindowAllowingTheSkew() throws Exception {
        long now = f.clock.instant().getEpochSecond();
        assertDenied(410, "ticket-expired", "ticket.exp", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("nbf", now - 7200).put("exp", now - 1)), Fixture.member()));
        assertDenied(403, "ticket-not-yet-valid", "ticket.nbf", () -> manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("nbf", now + 120).put("exp", now + 3600)), Fixture.member()));
        // 20 s early is within the 30 s skew.
        assertEquals(Fixture.SLICE, manager().redeem(
                f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("nbf", now + 20)), Fixture.member()).slice());
    }

    @Test
    void refusesAReplayedTicketEvenAfterItsLeaseWasReleased() throws Exception {
        String ticket = f.ticket();
        Lease lease = manager().redeem(ticket, Fixture.member());
        DeniedException replay = assertDenied(409, "ticket-replayed", "ticket.jti",
                () -> manager().redeem(ticket, Fixture.member()));
        assertEquals("replay", replay.reasons().get(0).check());
        assertEquals("ticket", replay.reasons().get(1).rule(), "the chain names the ticket as context");
        manager().release(lease.id(), Fixture.member());
        assertDenied(409, "ticket-replayed", "ticket.jti", () -> manager().redeem(ticket, Fixture.member()));
    }

    @Test
    void refusesARevokedTicketAndRemembersTheRevocationAcrossARestart() throws Exception {
        String ticket = f.ticket();
        manager().revoked(Fixture.ticketId(ticket), f.clock.instant().plus(Duration.ofHours(1)));
        assertDenied(403, "ticket-revoked", "ticket.revoked", () -> manager().redeem(ticket, Fixture.member()));
        f.restart();
        assertDenied(403, "ticket-revoked", "ticket.revoked", () -> f.manager.redeem(ticket, Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesAnUnknownOrExpiredSlice() throws Exception {
        assertDenied(404, "slice-unknown", "slice.known", () -> manager().redeem(
                f.ticket("princeton_nosuch", Fixture.SMALL, c -> { }), Fixture.member()));
        f.addSlice("princeton_old", f.clock.instant().minusSeconds(1), Fixture.MEMBER);
        assertDenied(404, "slice-unknown", "slice.known", () -> manager().redeem(
                f.ticket("princeton_old", Fixture.SMALL, c -> { }), Fixture.member()));
        assertNothingGranted();
    }

    @Test
    void refusesACallerWhoIsNotAMember() throws Exception {
        DeniedException denied = assertDenied(403, "not-a-member", "slice.members",
                () -> manager().redeem(f.ticket(), Fixture.stranger()));
        assertTrue(denied.reasons().get(0).detail().contains("mallory@mit.edu"));
        assertDenied(403, "not-a-member", "slice.members", () -> manager().redeem(f.ticket(), Caller.ANONYMOUS));
        assertNothingGranted();
    }

    @Test
    void appliesEachPolicyRule() throws Exception {
        f.addSlice("mit_tor", Instant.now().plus(Duration.ofDays(1)), Fixture.MEMBER);
        f.policy = policy(Set.of(), Set.of(), Set.of(), Set.of(Fixture.SLICE));
        f.start();
        assertDenied(403, "policy-denied", "policy.deniedSlices", () -> f.manager.redeem(f.ticket(), Fixture.member()));
        f.manager.policy(policy(Set.of(), Set.of(), Set.of("princeton"), Set.of()));
        assertDenied(403, "policy-denied", "policy.deniedSites", () -> f.manager.redeem(f.ticket(), Fixture.member()));
        f.manager.policy(policy(Set.of(), Set.of("mit_tor"), Set.of(), Set.of()));
        assertDenied(403, "policy-denied", "policy.allowedSlices", () -> f.manager.redeem(f.ticket(), Fixture.member()));
        f.manager.policy(policy(Set.of("mit"), Set.of(), Set.of(), Set.of()));
        assertDenied(403, "policy-denied", "policy.allowedSites", () -> f.manager.redeem(f.ticket(), Fixture.member()));
        // Deny wins over allow.
        f.manager.policy(policy(Set.of("princeton"), Set.of(), Set.of(), Set.of(Fixture.SLICE)));
        assertDenied(403, "policy-denied", "policy.deniedSlices", () -> f.manager.redeem(f.ticket(), Fixture.member()));
        assertNothingGranted();
        f.manager.policy(policy(Set.of("mit"), Set.of(), Set.of(), Set.of()));
        assertEquals("mit_tor", f.manager.redeem(f.ticket("mit_tor", Fixture.SMALL, c -> { }), Fixture.member()).slice());
    }

    @Test
    void appliesEachPerSliceCap() throws Exception {
        f.policy = Policy.DEFAULTS.withPerSlice(new Resources(0.2, 32L << 20, 16, 8L << 20));
        f.start();
        DeniedException denied = assertDenied(422, "over-capacity", "policy.perSliceCpu",
                () -> f.manager.redeem(f.ticket(), Fixture.member()));
        List<String> rules = denied.reasons().stream().map(r -> r.rule()).toList();
        assertEquals(List.of("policy.perSliceCpu", "policy.perSliceMemory", "policy.perSliceProcesses",
                "policy.perSliceDisk", "ticket"), rules);
        assertNothingGranted();
    }

    @Test
    void refusesWhatDoesNotFitTheFreeCapacityOrTheReservedShare() throws Exception {
        int cores = f.vmm.capacity().cores();
        // 0.95 of the node's cores is more than the 0.9 left after the reserved share.
        Resources big = new Resources(cores * 0.95, 64L << 20, 32, 0);
        assertDenied(422, "over-capacity", "capacity.cpu", () -> manager().redeem(
                f.ticket(Fixture.SLICE, big, c -> { }), Fixture.member()));
        // Half of it is granted; then the other slice's half does not fit next to it.
        f.addSlice("princeton_two", Instant.now().plus(Duration.ofDays(1)), Fixture.MEMBER);
        Resources half = new Resources(cores * 0.5, 64L << 20, 32, 0);
        manager().redeem(f.ticket(Fixture.SLICE, half, c -> { }), Fixture.member());
        DeniedException denied = assertDenied(422, "over-capacity", "capacity.cpu", () -> manager().redeem(
                f.ticket("princeton_two", half, c -> { }), Fixture.member()));
        assertEquals("capacity", denied.reasons().get(0).check());
        // With oversubscription 2 the node may promise it.
        manager().policy(new Policy(Set.of(), Set.of(), Set.of(), Set.of(), Resources.NONE, 0.1, 2.0,
                Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofSeconds(10)));
        assertEquals("princeton_two", manager().redeem(f.ticket("princeton_two", half, c -> { }), Fixture.member()).slice());
    }

    @Test
    void diskIsHeldAgainstTheNodeOnlyWhenTheVmmKnowsItsSize() throws Exception {
        long disk = f.vmm.capacity().diskBytes();
        Resources huge = new Resources(0.25, 64L << 20, 32, disk);
        assertDenied(422, "over-capacity", "capacity.disk", () -> manager().redeem(
                f.ticket(Fixture.SLICE, huge, c -> { }), Fixture.member()));
        // A VMM that could not measure its file system reports 0, its "unknown".
        f.start(new CrashingVmm(f.vmm, CrashingVmm.Step.NEVER) {
            @Override
            public dev.sliceplane.vmm.api.NodeCapacity capacity() {
                var real = super.capacity();
                return new dev.sliceplane.vmm.api.NodeCapacity(real.cores(), real.memoryBytes(), 0, real.networkInterfaces());
            }
        });
        assertEquals(disk, f.manager.redeem(f.ticket(Fixture.SLICE, huge, c -> { }), Fixture.member()).resources().disk());
    }

    @Test
    void refusesASecondSliverOfASliceOnTheNode() throws Exception {
        manager().redeem(f.ticket(), Fixture.member());
        assertDenied(409, "sliver-exists", "lease.onePerSlice", () -> manager().redeem(f.ticket(), Fixture.member()));
        assertEquals(1, f.vmm.list().size());
    }

    @Test
    void refusesWhenASliverOfTheSlicesNameExistsWithoutALease() throws Exception {
        f.vmm.create(new dev.sliceplane.vmm.api.SliverSpec(Fixture.SLICE, dev.sliceplane.vmm.api.Limits.NONE));
        assertDenied(409, "sliver-exists", "lease.onePerSlice", () -> manager().redeem(f.ticket(), Fixture.member()));
        assertEquals(0, manager().leaseCount());
        assertTrue(f.vmm.find(Fixture.SLICE).isPresent(), "a sliver the node manager did not make is left alone");
    }

    @Test
    void checksRunInTheContractsOrder() throws Exception {
        long now = f.clock.instant().getEpochSecond();
        // Expired and for another node: aud comes before the window.
        assertDenied(403, "ticket-wrong-node", "ticket.aud", () -> manager().redeem(f.ticket(Fixture.SLICE, Fixture.SMALL,
                c -> c.put("aud", "other").put("exp", now - 1)), Fixture.member()));
        // Expired and for an unknown slice by a stranger: the window comes first.
        assertDenied(410, "ticket-expired", "ticket.exp", () -> manager().redeem(f.ticket("princeton_nosuch",
                Fixture.SMALL, c -> c.put("nbf", now - 7200).put("exp", now - 1)), Fixture.stranger()));
        // Unknown slice by a stranger: the slice before membership.
        assertDenied(404, "slice-unknown", "slice.known", () -> manager().redeem(
                f.ticket("princeton_nosuch", Fixture.SMALL, c -> { }), Fixture.stranger()));
        // Denied by policy and over capacity: policy first.
        f.start();
        f.manager.policy(policy(Set.of(), Set.of(), Set.of(), Set.of(Fixture.SLICE)).withPerSlice(new Resources(0.1, 0, 0, 0)));
        assertDenied(403, "policy-denied", "policy.deniedSlices", () -> f.manager.redeem(f.ticket(), Fixture.member()));
    }

    @Test
    void anOfferCountsWhatLeasesHold() throws Exception {
        var before = manager().offer();
        int cores = f.vmm.capacity().cores();
        assertEquals(cores * 0.9, before.capacity().cpu(), 1e-9);
        assertEquals(Capacity.PROCESSES_PER_CORE * cores * 9 / 10, before.capacity().processes());
        assertEquals(before.capacity(), before.free());
        Lease lease = manager().redeem(f.ticket(), Fixture.member());
        var after = manager().offer();
        assertEquals(before.capacity().cpu() - 0.25, after.free().cpu(), 1e-9);
        assertEquals(before.capacity().memory() - (64L << 20), after.free().memory());
        assertEquals(Set.of(lease.ticket()), after.redeemedTickets());
        assertEquals(Set.of(), after.releasedTickets());
        assertEquals(1.0, after.oversubscription());
        manager().release(lease.id(), Fixture.member());
        var released = manager().offer();
        assertEquals(released.capacity(), released.free());
        // The agent counts a slice's slivers by the tickets behind current leases: a released one drops out.
        assertEquals(Set.of(), released.redeemedTickets());
        // ... and its ticket is named as released, so the agent need never have seen it redeemed.
        assertEquals(Set.of(lease.ticket()), released.releasedTickets());
    }

    @Test
    void concurrentRedemptionsOfOneTicketGrantOneLease() throws Exception {
        String ticket = f.ticket();
        NodeManager manager = manager();
        int threads = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return manager.redeem(ticket, Fixture.member()).id();
                } catch (DeniedException e) {
                    return e.type();
                }
            }));
        }
        start.countDown();
        List<String> results = new java.util.ArrayList<>();
        for (var outcome : outcomes) {
            results.add(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(threads - 1, results.stream().filter("ticket-replayed"::equals).count(), results.toString());
        assertEquals(1, manager.leaseCount());
        assertEquals(1, f.vmm.list().size());
    }

    @Test
    void aRevocationIsJournaledOnceHoweverOftenTheAgentRepeatsIt() throws Exception {
        Instant until = f.clock.instant().plus(Duration.ofHours(1));
        manager().revoked("t-1", until);
        manager().revoked("t-1", until);
        manager().revoked("t-2", until);
        manager().revoked("t-3", f.clock.instant().minusSeconds(1));
        List<String> lines = Files.readAllLines(manager().journalFile());
        assertEquals(3, lines.size(), "the backend; t-1 once, t-2; an already ended t-3 not at all");
    }

    static Policy policy(Set<String> allowedSites, Set<String> allowedSlices, Set<String> deniedSites, Set<String> deniedSlices) {
        Policy d = Policy.DEFAULTS;
        return new Policy(allowedSites, allowedSlices, deniedSites, deniedSlices, d.perSlice(), d.reservedShare(),
                d.oversubscription(), d.maxLeaseTerm(), d.warnBefore(), d.reclaimInterval());
    }

    void assertNothingGranted() throws Exception {
        assertEquals(0, manager().leaseCount());
        assertTrue(f.vmm.list().isEmpty(), "no sliver made");
    }

    interface Call {
        Object run() throws Exception;
    }

    static DeniedException assertDenied(int status, String type, String rule, Call call) {
        DeniedException denied = assertThrows(DeniedException.class, call::run);
        assertEquals(type, denied.type(), denied.reasons().toString());
        assertEquals(status, denied.status());
        assertEquals(rule, denied.reasons().get(0).rule(), denied.reasons().toString());
        assertEquals(Fixture.HOST, denied.reasons().get(0).node());
        assertFalse(denied.reasons().get(0).detail().isBlank());
        return denied;
    }

    static void await(String what, Callable condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    interface Callable {
        boolean get() throws Exception;
    }

}
