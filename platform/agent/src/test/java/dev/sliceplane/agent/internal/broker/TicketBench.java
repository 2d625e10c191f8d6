package dev.sliceplane.agent.internal.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.sliceplane.agent.internal.Fixtures.Node;
import dev.sliceplane.agent.internal.agent.AgentHarness;
import dev.sliceplane.agent.internal.agent.Issuance;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Tickets per second through the broker, as {@code POST /api/v1/broker/requests} calls it once the
 * body is parsed: {@link Broker#request} (query, slice access, the slice's sliver count, every
 * advertised node filtered and sorted) and the agent's issuance (accounting, Ed25519 signature
 * with a real key, journal line forced to disk). {@code nodes} nodes have reported; a request asks
 * for {@code count} tickets. Each 1 s iteration starts a new agent (empty journal) and rotates
 * over 200 slices, so a slice's one-ticket-per-node rule never runs out of nodes. Run by
 * bench/acquisition-bench.sh; Surefire never runs it (not a *Test).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TicketBench {

    private static final int SLICES = 200;
    private static final Resources NODE_FREE = new Resources(64, 256L << 30, 100_000, 10L << 40);
    private static final Resources TICKET = new Resources(0.01, 16L << 20, 4, 16L << 20);

    @Param("1000")
    public int nodes;

    @Param({"1", "10"})
    public int count;

    private Path directory;
    private AgentHarness harness;
    private Broker broker;
    private final AtomicInteger next = new AtomicInteger();
    private final Caller caller = Caller.principal("alice@princeton.test", "princeton", Set.of(Roles.USER), "t1",
            Instant.now().plus(Duration.ofDays(1)));

    @Setup(Level.Iteration)
    public void agentWithReports() throws IOException {
        directory = Files.createTempDirectory("ticket-bench");
        harness = new AgentHarness(directory);
        for (int i = 0; i < nodes; i++) {
            Node node = new Node(harness.nodes, "node" + i + ".bench", "site" + (i % 50), "boot");
            harness.agent.accept(node.hostname, node.report(harness.clock.instant(), NODE_FREE, Set.of(), "UP"));
        }
        for (int i = 0; i < SLICES; i++) {
            harness.slices.add("princeton_bench" + i, Duration.ofDays(7), 1_000_000, "alice@princeton.test");
        }
        broker = new Broker(harness.agent, harness.slices, harness.nodes);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        harness.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One broker request; tickets per second = this score × {@code count}. */
    @Benchmark
    public Issuance request() {
        String slice = "princeton_bench" + Math.floorMod(next.getAndIncrement(), SLICES);
        Issuance issuance = broker.request(caller, new TicketRequest(slice, count, TICKET, "cpu_free>=1",
                Duration.ofHours(1), false));
        if (issuance.tickets().size() != count) {
            throw new IllegalStateException("asked for " + count + " tickets, got " + issuance.tickets().size());
        }
        return issuance;
    }
}
