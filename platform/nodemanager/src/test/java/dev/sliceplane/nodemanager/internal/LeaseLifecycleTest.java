package dev.sliceplane.nodemanager.internal;

import static dev.sliceplane.nodemanager.internal.RedemptionTest.assertDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.vmm.api.ProgramSpec;

/** A lease after redemption: views, renew and its caps, resize, release, programs, reclaim. */
class LeaseLifecycleTest {

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

    /** A ticket whose window is a week, so the lease's end is decided by the policy or the renewal. */
    Lease longLease() throws Exception {
        long now = f.clock.instant().getEpochSecond();
        return f.manager.redeem(f.ticket(Fixture.SLICE, Fixture.SMALL, c -> c.put("exp", now + 7 * 86400)),
                Fixture.member());
    }

    @Test
    void aLeaseEndsAtTheEarliestOfTicketSliceAndMaxLeaseTerm() throws Exception {
        f.start();
        Lease lease = longLease();
        assertEquals(f.clock.instant().plus(Duration.ofDays(1)), lease.end(), "maxLeaseTerm P1D");
        f.manager.release(lease.id(), Fixture.member());

        f.addSlice("princeton_brief", f.clock.instant().plus(Duration.ofMinutes(30)), Fixture.MEMBER);
        long now = f.clock.instant().getEpochSecond();
        Lease brief = f.manager.redeem(f.ticket("princeton_brief", Fixture.SMALL, c -> c.put("exp", now + 7 * 86400)),
                Fixture.member());
        assertEquals(f.clock.instant().plus(Duration.ofMinutes(30)), brief.end(), "the slice's expiry");
    }

    @Test
    void renewalIsCappedByMaxLeaseTermAndTheSlicesExpiry() throws Exception {
        f.start();
        Lease lease = longLease();
        f.clock.advance(Duration.ofHours(2));
        Lease renewed = f.manager.renew(lease.id(), Duration.ofHours(3), Fixture.member());
        assertEquals(f.clock.instant().plus(Duration.ofHours(3)), renewed.end());
        assertEquals(renewed.end().getEpochSecond(),
                Jws.verify(renewed.token(), "lease+jwt", f.nodeKey.publicKey()).claims().path("exp").asLong(),
                "a fresh JWS with the new end");
        assertEquals(lease.id(), renewed.id());
        assertEquals(lease.start(), renewed.start());

        Lease capped = f.manager.renew(lease.id(), Duration.ofDays(5), Fixture.member());
        assertEquals(f.clock.instant().plus(Duration.ofDays(1)), capped.end(), "maxLeaseTerm");

        f.addSlice(Fixture.SLICE, f.clock.instant().plus(Duration.ofHours(6)), Fixture.MEMBER);
        Lease bySlice = f.manager.renew(lease.id(), Duration.ofDays(1), Fixture.member());
        assertEquals(f.clock.instant().plus(Duration.ofHours(6)), bySlice.end(), "the slice's expiry");

        assertDenied(400, "invalid-request", "renew.duration",
                () -> f.manager.renew(lease.id(), Duration.ofMinutes(-5), Fixture.member()));
        assertDenied(404, "lease-unknown", "lease.id",
                () -> f.manager.renew(lease.id(), Duration.ofHours(1), Fixture.stranger()));
        assertDenied(404, "lease-unknown", "lease.id",
                () -> f.manager.renew("nosuch", Duration.ofHours(1), Fixture.member()));
        f.slices.remove(Fixture.SLICE);
        assertDenied(404, "slice-unknown", "slice.known", () -> f.manager.renew(lease.id(), Duration.ofHours(1), Fixture.admin()));
    }

    @Test
    void resizeChangesTheSliversLimitsInPlaceWithinFreeCapacityAndCaps() throws Exception {
        f.start();
        Lease lease = longLease();
        f.manager.launch(lease.id(), ProgramSpec.of("sleep", "30"), Fixture.member());
        Resources bigger = new Resources(0.5, 128L << 20, 64, 32L << 20);
        Lease resized = f.manager.resize(lease.id(), bigger, Fixture.member());
        assertEquals(bigger, resized.resources());
        var sliver = f.vmm.find(Fixture.SLICE).orElseThrow();
        assertEquals(0.5, sliver.limits().cpuCores());
        assertEquals(128L << 20, sliver.limits().memoryBytes());
        assertEquals(64, sliver.limits().maxProcesses());
        assertTrue(sliver.programs().get(0).running(), "the program kept running through the resize");
        assertEquals(bigger, (ResourcesJson.read(
                Jws.verify(resized.token(), "lease+jwt", f.nodeKey.publicKey()).claims().path("res"))));

        int cores = f.vmm.capacity().cores();
        assertDenied(422, "over-capacity", "capacity.cpu", () -> f.manager.resize(lease.id(),
                new Resources(cores, 128L << 20, 64, 0), Fixture.member()));
        assertEquals(0.5, f.vmm.find(Fixture.SLICE).orElseThrow().limits().cpuCores(), "unchanged after a refusal");

        f.manager.policy(Policy.DEFAULTS.withPerSlice(new Resources(0, 0, 48, 0)));
        assertDenied(422, "over-capacity", "policy.perSliceProcesses", () -> f.manager.resize(lease.id(),
                new Resources(0.5, 128L << 20, 64, 0), Fixture.member()));
        Lease smaller = f.manager.resize(lease.id(), Fixture.SMALL, Fixture.member());
        assertEquals(32, f.vmm.find(Fixture.SLICE).orElseThrow().limits().maxProcesses());
        assertEquals(Fixture.SMALL, smaller.resources());
        assertDenied(400, "invalid-request", "resize.resources", () -> f.manager.resize(lease.id(),
                new Resources(0.5, 1000, 1, 0), Fixture.member()));
    }

    @Test
    void releaseDestroysTheSliverAndForgetsTheLease() throws Exception {
        f.start();
        Lease lease = longLease();
        f.manager.launch(lease.id(), ProgramSpec.of("sleep", "60"), Fixture.member());
        assertDenied(404, "lease-unknown", "lease.id", () -> { f.manager.release(lease.id(), Fixture.stranger()); return null; });
        assertTrue(f.vmm.find(Fixture.SLICE).isPresent(), "a stranger cannot release it");
        f.manager.release(lease.id(), Fixture.pi("princeton"));
        assertFalse(f.vmm.find(Fixture.SLICE).isPresent());
        assertEquals(0, f.manager.leaseCount());
        assertEquals(f.manager.offer().capacity(), f.manager.offer().free());
        // The slice may redeem a new ticket for a new sliver.
        assertEquals(Fixture.SLICE, f.manager.redeem(f.ticket(), Fixture.member()).sliver());
    }

    @Test
    void expiredLeasesAreReclaimedAndExpiringOnesWarned() throws Exception {
        f.start();
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        assertEquals("active", f.manager.view(lease).state());
        assertNull(f.manager.view(lease).warning());

        f.clock.advance(Duration.ofMinutes(56));
        LeaseView expiring = f.manager.view(lease);
        assertEquals("expiring", expiring.state());
        assertEquals("ends in 4 min", expiring.warning());
        f.manager.reclaim();
        assertTrue(f.vmm.find(Fixture.SLICE).isPresent(), "not reclaimed before its end");

        f.clock.advance(Duration.ofMinutes(4));
        assertEquals("expired", f.manager.view(lease).state());
        assertDenied(404, "lease-unknown", "lease.id", () -> f.manager.renew(lease.id(), Duration.ofHours(1), Fixture.member()));
        f.manager.reclaim();
        assertFalse(f.vmm.find(Fixture.SLICE).isPresent(), "its sliver was destroyed");
        assertEquals(0, f.manager.leaseCount());
        assertTrue(f.manager.list(Fixture.admin(), null).isEmpty());
    }

    @Test
    void listingShowsEachCallerTheLeasesOfTheirSlices() throws Exception {
        f.addSlice("mit_tor", f.clock.instant().plus(Duration.ofDays(2)), "bob@mit.edu");
        f.start();
        Lease princeton = f.manager.redeem(f.ticket(), Fixture.member());
        Lease mit = f.manager.redeem(f.ticket("mit_tor", Fixture.SMALL, c -> { }), Fixture.admin());

        assertEquals(List.of(princeton.id()), ids(f.manager.list(Fixture.member(), null)));
        assertEquals(List.of(princeton.id()), ids(f.manager.list(Fixture.pi("princeton"), null)));
        assertEquals(List.of(mit.id()), ids(f.manager.list(Fixture.pi("mit"), null)));
        assertEquals(Set.of(princeton.id(), mit.id()), Set.copyOf(ids(f.manager.list(Fixture.admin(), null))));
        assertEquals(List.of(mit.id()), ids(f.manager.list(Fixture.admin(), "mit_tor")));
        assertTrue(f.manager.list(Fixture.stranger(), null).isEmpty());
    }

    @Test
    void programsRunInTheSliverAndReportTheirExit() throws Exception {
        f.start();
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        var started = f.manager.launch(lease.id(), new ProgramSpec(List.of("/bin/sh", "-c", "echo $GREETING; exit 3"),
                Map.of("GREETING", "hi"), ""), Fixture.member());
        assertTrue(started.pid() > 0);
        RedemptionTest.await("exit", () -> f.manager.programs(lease.id(), Fixture.member()).get(0).exitCode() != null);
        var ended = f.manager.programs(lease.id(), Fixture.member()).get(0);
        assertEquals(3, ended.exitCode());
        assertEquals("hi\n", Files.readString(ended.stdout()));
        assertDenied(400, "invalid-request", "program.command", () -> f.manager.launch(lease.id(),
                ProgramSpec.of("/no/such/program"), Fixture.member()));
        assertDenied(404, "lease-unknown", "lease.id", () -> f.manager.launch(lease.id(),
                ProgramSpec.of("true"), Fixture.stranger()));
    }

    @Test
    void revocationsAndRedeemedTicketsAreForgottenWhenTheirWindowEnds() throws Exception {
        f.start();
        String ticket = f.ticket();
        Lease lease = f.manager.redeem(ticket, Fixture.member());
        f.manager.revoked("some-ticket", f.clock.instant().plus(Duration.ofMinutes(5)));
        f.clock.advance(Duration.ofHours(2));
        f.manager.reclaim();
        NodeManager restarted = f.restart();
        List<String> journal = Files.readAllLines(restarted.journalFile());
        assertEquals(List.of("{\"op\":\"BACKEND\",\"backend\":\"process\"}"), journal,
                "compaction keeps neither the reclaimed lease nor the ended tickets");
        assertEquals(0, restarted.leaseCount());
        assertFalse(lease.id().isEmpty());
    }

    private static List<String> ids(List<Lease> leases) {
        return leases.stream().map(Lease::id).toList();
    }

}
