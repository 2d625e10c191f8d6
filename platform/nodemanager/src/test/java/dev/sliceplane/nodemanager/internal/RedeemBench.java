package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.security.Caller;

/**
 * Leases redeemed per second: {@link NodeManager#redeem} as {@code POST /api/v1/leases} calls it,
 * on a simulated VMM. One redemption is the whole path: the ticket's chain (the authority's
 * signature on the agent certificate, the agent's on the ticket: two Ed25519 verifications), the
 * window, replay, slice, membership, policy and capacity checks, the intent journaled and forced
 * to disk, the sliver created in the simulated VMM, the member's key written to
 * {@code <home>/.ssh/authorized_keys}, the lease signed (Ed25519) and journaled and forced again.
 * Each 1 s iteration starts a new node manager (empty journal, empty VMM) with {@value #POOL}
 * tickets signed beforehand, each for a slice of its own (one sliver per slice per node). Run by
 * bench/acquisition-bench.sh; Surefire never runs it (not a *Test).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedeemBench {

    /** Tickets signed per iteration: well above what a second of redemptions uses on this VM. */
    static final int POOL = Integer.getInteger("redeemBench.pool", 8000);
    private static final Resources TICKET = new Resources(0.01, 16L << 20, 4, 16L << 20);

    private Path directory;
    private Fixture fixture;
    private BackendVmm vmm;
    private final ConcurrentLinkedQueue<String> tickets = new ConcurrentLinkedQueue<>();
    private final Caller member = Fixture.member();

    @Setup(Level.Iteration)
    public void nodeWithTickets() throws IOException {
        directory = Files.createTempDirectory("redeem-bench");
        fixture = new Fixture(directory);
        vmm = BenchFiles.simulatedVmm(directory.resolve("simulated"), 1);
        fixture.start(vmm);
        tickets.clear();
        // One agent certificate for all, as a real agent signs with one for 30 days.
        String certificate = fixture.certificate(fixture.authorityKey, c -> { });
        for (int i = 0; i < POOL; i++) {
            String slice = "princeton_redeem" + i;
            fixture.addSlice(slice, fixture.clock.instant().plus(Duration.ofDays(30)), Fixture.MEMBER);
            tickets.add(fixture.ticket(slice, TICKET, c -> { }, certificate, fixture.agentKey));
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        fixture.close();
        vmm.close();
        BenchFiles.deleteTree(directory);
    }

    @Benchmark
    public Lease redeem() {
        String ticket = tickets.poll();
        if (ticket == null) {
            throw new IllegalStateException("the ticket pool ran dry: raise -DredeemBench.pool (" + POOL + ")");
        }
        return fixture.manager.redeem(ticket, member);
    }
}
