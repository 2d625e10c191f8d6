package dev.sliceplane.nodemanager.internal;

import static dev.sliceplane.nodemanager.internal.RedemptionTest.assertDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.nodemanager.internal.CrashingVmm.Crash;
import dev.sliceplane.nodemanager.internal.CrashingVmm.Step;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;

/**
 * A kill -9 at every step of a change, then a restart: the journal and the VMM agree again, with
 * no sliver without its lease and no lease without its sliver. Crashes are simulated by a VMM that
 * stops the node manager at a step, and by cutting the journal back to what a crash between two
 * of its writes would have left.
 */
class JournalRecoveryTest {

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

    @Test
    void aCrashBeforeTheSliverIsMadeLeavesNothingAndTheTicketStillGood() throws Exception {
        f.start(new CrashingVmm(f.vmm, Step.BEFORE_CREATE));
        String ticket = f.ticket();
        assertThrows(Crash.class, () -> f.manager.redeem(ticket, Fixture.member()));
        assertTrue(journal().get(journal().size() - 1).contains("\"op\":\"INTENT\""), "the intent was journaled first");

        NodeManager restarted = f.restart();
        assertConsistent(restarted);
        assertEquals(0, restarted.leaseCount());
        // The redemption was never answered, so the service manager may try the same ticket again.
        assertEquals(Fixture.SLICE, restarted.redeem(ticket, Fixture.member()).sliver());
        assertConsistent(restarted);
    }

    @Test
    void aCrashAfterTheSliverIsMadeButBeforeTheLeaseDestroysTheOrphan() throws Exception {
        f.start(new CrashingVmm(f.vmm, Step.AFTER_CREATE));
        String ticket = f.ticket();
        assertThrows(Crash.class, () -> f.manager.redeem(ticket, Fixture.member()));
        assertTrue(f.vmm.find(Fixture.SLICE).isPresent(), "the crash left a sliver behind");

        NodeManager restarted = f.restart();
        assertEquals(List.of(Fixture.SLICE), restarted.reconciled().destroyed());
        assertFalse(f.vmm.find(Fixture.SLICE).isPresent());
        assertConsistent(restarted);
        assertEquals(Fixture.SLICE, restarted.redeem(ticket, Fixture.member()).sliver());
    }

    @Test
    void aCrashBetweenTheKeysAndTheLeaseEntryDestroysTheOrphan() throws Exception {
        f.start();
        f.manager.redeem(f.ticket(), Fixture.member());
        List<String> lines = journal();
        assertTrue(lines.get(lines.size() - 1).contains("\"op\":\"LEASE\""));
        // What the disk held if the process died after the keys, before the lease entry was forced.
        Files.write(journalFile(), lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        assertTrue(Files.exists(f.vmm.find(Fixture.SLICE).orElseThrow().home().resolve(".ssh/authorized_keys")));

        NodeManager restarted = f.restart();
        assertEquals(List.of(Fixture.SLICE), restarted.reconciled().destroyed());
        assertEquals(0, restarted.leaseCount());
        assertConsistent(restarted);
    }

    @Test
    void aCrashAfterTheLeaseEntryKeepsTheLeaseAndItsSliver() throws Exception {
        f.start();
        String ticket = f.ticket();
        Lease lease = f.manager.redeem(ticket, Fixture.member());
        f.manager.launch(lease.id(), ProgramSpec.of("sleep", "30"), Fixture.member());

        NodeManager restarted = f.restart();
        assertEquals(Set.of(lease.id()), restarted.list(Fixture.admin(), null).stream().map(Lease::id)
                .collect(Collectors.toSet()));
        assertEquals(lease, restarted.get(lease.id(), Fixture.member()), "the same lease, token and all");
        assertTrue(restarted.programs(lease.id(), Fixture.member()).get(0).running(), "its program still runs");
        assertDenied(409, "ticket-replayed", "ticket.jti", () -> restarted.redeem(ticket, Fixture.member()));
        assertConsistent(restarted);
    }

    @Test
    void aLeaseWhoseSliverIsGoneIsDroppedAndItsCapacityFreed() throws Exception {
        f.start();
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        f.vmm.destroy(lease.sliver());

        NodeManager restarted = f.restart();
        assertEquals(List.of(lease.id()), restarted.reconciled().dropped());
        assertEquals(0, restarted.leaseCount());
        assertEquals(restarted.offer().capacity(), restarted.offer().free());
        assertConsistent(restarted);
    }

    @Test
    void ticketsOfEndedLeasesAreReportedAsReleasedAcrossRestartsUntilTheyExpire() throws Exception {
        f.start();
        String first = f.ticket();
        Lease released = f.manager.redeem(first, Fixture.member());
        f.manager.release(released.id(), Fixture.member());
        Lease reclaimed = redeemFor("princeton_brief", Duration.ofMinutes(10));
        Lease dropped = redeemFor("princeton_lost", Duration.ofDays(1));
        Lease kept = redeemFor("princeton_kept", Duration.ofDays(1));
        f.clock.advance(Duration.ofMinutes(11));
        f.manager.reclaim();
        f.vmm.destroy(dropped.sliver());
        Set<String> ended = Set.of(released.ticket(), reclaimed.ticket(), dropped.ticket());

        // First from the RELEASE entries and the reconciliation, then from the compacted journal.
        NodeManager restarted = f.restart();
        assertEquals(List.of(dropped.id()), restarted.reconciled().dropped());
        assertEquals(Set.of(kept.ticket()), restarted.offer().redeemedTickets());
        assertEquals(ended, restarted.offer().releasedTickets());
        restarted = f.restart();
        assertEquals(Set.of(kept.ticket()), restarted.offer().redeemedTickets());
        assertEquals(ended, restarted.offer().releasedTickets());
        assertDenied(409, "ticket-replayed", "ticket.jti", () -> f.manager.redeem(first, Fixture.member()));

        // The tickets' windows (an hour) end: the agent forgets them anyway, and so does the node.
        f.clock.advance(Duration.ofMinutes(50));
        assertEquals(Set.of(), f.manager.offer().releasedTickets());
        f.manager.reclaim();
        f.restart();
        assertEquals(0, journal().stream().filter(l -> l.contains("\"op\":\"ENDED\"")).count());
        assertEquals(Set.of(), f.manager.offer().releasedTickets());
    }

    private Lease redeemFor(String slice, Duration sliceLife) {
        f.addSlice(slice, f.clock.instant().plus(sliceLife), Fixture.MEMBER);
        return f.manager.redeem(f.ticket(slice, Fixture.SMALL, c -> { }), Fixture.member());
    }

    @Test
    void aCrashDuringReleaseDestroysTheSliverAtRestart() throws Exception {
        f.start(new CrashingVmm(f.vmm, Step.BEFORE_DESTROY));
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        assertThrows(Crash.class, () -> f.manager.release(lease.id(), Fixture.member()));
        assertTrue(f.vmm.find(Fixture.SLICE).isPresent());

        NodeManager restarted = f.restart();
        assertEquals(List.of(Fixture.SLICE), restarted.reconciled().destroyed());
        assertEquals(0, restarted.leaseCount());
        assertConsistent(restarted);
    }

    @Test
    void aResizeCutShortIsSetBackToWhatTheJournalGrants() throws Exception {
        f.start(new CrashingVmm(f.vmm, Step.BEFORE_RESIZE));
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        Resources bigger = new Resources(0.5, 128L << 20, 64, 32L << 20);
        assertThrows(Crash.class, () -> f.manager.resize(lease.id(), bigger, Fixture.member()));
        assertEquals(32, f.vmm.find(Fixture.SLICE).orElseThrow().limits().maxProcesses());

        NodeManager restarted = f.restart();
        assertEquals(List.of(Fixture.SLICE), restarted.reconciled().resized());
        assertEquals(bigger, restarted.get(lease.id(), Fixture.member()).resources());
        assertEquals(ResourcesJson.limits(bigger), f.vmm.find(Fixture.SLICE).orElseThrow().limits());
        assertConsistent(restarted);
    }

    @Test
    void aTornLastLineIsSkippedAndTheJournalRewritten() throws Exception {
        f.start();
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        Files.writeString(journalFile(), "{\"op\":\"RELEASE\",\"lease\":{\"id\":\"" + lease.id() + "\",\"sli",
                StandardOpenOption.APPEND);

        NodeManager restarted = f.restart();
        assertEquals(1, restarted.leaseCount(), "the torn release was never acknowledged");
        assertConsistent(restarted);
        for (String line : journal()) {
            assertTrue(line.endsWith("}"), "compaction left no torn line: " + line);
        }
        restarted.release(lease.id(), Fixture.member());
        assertEquals(0, f.restart().leaseCount());
    }

    @Test
    void sliversTheNodeManagerNeverMadeAreLeftAlone() throws Exception {
        f.vmm.create(new SliverSpec("operator_debug", Limits.NONE));
        f.start();
        assertEquals(List.of("operator_debug"), f.manager.reconciled().unmanaged());
        assertTrue(f.vmm.find("operator_debug").isPresent());
        assertNull(f.manager.journalFailure());
    }

    @Test
    void startCompactsTheJournal() throws Exception {
        f.start();
        Lease kept = f.manager.redeem(f.ticket(), Fixture.member());
        f.addSlice("princeton_two", f.clock.instant().plus(Duration.ofDays(1)), Fixture.MEMBER);
        Lease released = f.manager.redeem(f.ticket("princeton_two", Fixture.SMALL, c -> { }), Fixture.member());
        f.manager.release(released.id(), Fixture.member());
        f.manager.renew(kept.id(), Duration.ofMinutes(30), Fixture.member());
        assertEquals(7, journal().size(), "the backend, 2 × (intent, lease), a release, an update");

        f.restart();
        List<String> compacted = journal();
        // The backend, both tickets (redeemed until their window ends), the released lease's ticket
        // as ended (reported until its window ends), one lease; nothing else.
        assertEquals(5, compacted.size());
        assertEquals("{\"op\":\"BACKEND\",\"backend\":\"process\"}", compacted.get(0));
        assertEquals(2, compacted.stream().filter(l -> l.contains("\"op\":\"REDEEMED\"")).count());
        assertEquals(1, compacted.stream().filter(l -> l.contains("\"op\":\"ENDED\"")
                && l.contains(released.ticket())).count());
        assertEquals(1, compacted.stream().filter(l -> l.contains("\"op\":\"LEASE\"")).count());
    }

    @Test
    void neverReconcilesAgainstAnotherBackendsSlivers() throws Exception {
        f.start();
        Lease lease = f.manager.redeem(f.ticket(), Fixture.member());
        f.vmm.restart();
        // As at start-up when the VMM opens another backend first: no slivers there.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> f.start(new CrashingVmm(new EmptyVmm(f.vmm), Step.NEVER, "linux")));
        assertTrue(refused.getMessage().contains("live in the process VMM backend, but the VMM runs linux"),
                refused.getMessage());
        assertEquals(1, journal().stream().filter(l -> l.contains("\"op\":\"LEASE\"")).count(), "nothing dropped");
        // On the right backend it starts with the lease and its sliver.
        f.start();
        assertEquals(lease, f.manager.get(lease.id(), Fixture.member()));
        assertConsistent(f.manager);
    }

    @Test
    void aJournalWithoutSliversFollowsABackendChange() throws Exception {
        f.start();
        f.manager.revoked("t-1", f.clock.instant().plusSeconds(600));
        f.start(new CrashingVmm(f.vmm, Step.NEVER, "simulated"));
        assertEquals("{\"op\":\"BACKEND\",\"backend\":\"simulated\"}", journal().get(0));
        assertEquals(2, journal().size(), "the revocation kept");
    }

    /** A VMM with no slivers, as another backend's state directory would be. */
    static final class EmptyVmm extends CrashingVmm {
        EmptyVmm(dev.sliceplane.vmm.api.Vmm real) {
            super(real, Step.NEVER);
        }

        @Override
        public List<SliverInfo> list() {
            return List.of();
        }

        @Override
        public java.util.Optional<SliverInfo> find(String sliver) {
            return java.util.Optional.empty();
        }
    }

    /** The invariant: the slivers the node manager made are exactly those its leases hold. */
    void assertConsistent(NodeManager manager) {
        Set<String> leased = manager.list(Fixture.admin(), null).stream().map(Lease::sliver).collect(Collectors.toSet());
        Set<String> slivers = f.vmm.list().stream().map(SliverInfo::name).filter(n -> n.startsWith("princeton_"))
                .collect(Collectors.toSet());
        assertEquals(leased, slivers, "no orphan sliver and no lease without its sliver");
    }

    Path journalFile() {
        return f.directory.resolve("journal.jsonl");
    }

    List<String> journal() throws Exception {
        return Files.readAllLines(journalFile());
    }
}
