package dev.sliceplane.agent.internal.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.sliceplane.agent.internal.Fixtures;
import dev.sliceplane.agent.internal.Fixtures.FakeAuthority;
import dev.sliceplane.agent.internal.Fixtures.MutableClock;
import dev.sliceplane.agent.internal.Fixtures.Nodes;
import dev.sliceplane.agent.internal.Fixtures.Slices;
import dev.sliceplane.jose.Ed25519PrivateKey;

/** An agent over fakes of the accounts SPIs, with its journal in a test directory. */
public final class AgentHarness implements AutoCloseable {

    public static final Duration INTERVAL = Duration.ofSeconds(10);

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T04:00:00Z"));
    public final FakeAuthority authority = new FakeAuthority(clock);
    public final Nodes nodes = new Nodes();
    public final Slices slices = new Slices(clock);
    public final Ed25519PrivateKey agentKey = Ed25519PrivateKey.generate(Fixtures.RANDOM);
    private final Path journal;
    public TicketAgent agent;

    public AgentHarness(Path directory) throws IOException {
        this.journal = directory.resolve("tickets.jsonl");
        agent = open();
    }

    /** A new agent over the same journal, as after a restart. */
    public TicketAgent restart() throws IOException {
        agent.close();
        agent = open();
        return agent;
    }

    private TicketAgent open() throws IOException {
        AgentIdentity identity = new AgentIdentity("agent", agentKey, authority, Duration.ofDays(30), clock);
        return TicketAgent.open(identity, nodes, new TicketAgent.Settings(INTERVAL, Duration.ofDays(1)), clock,
                Fixtures.RANDOM, journal);
    }

    @Override
    public void close() {
        agent.close();
    }
}
